# synod: the two commands a newcomer needs are `make` (build) and `make test` (everything CI runs).
MVN ?= mvn -q -B
JAR := target/synod.jar
# bin/bench's load generators and peer drivers (src/bench/java), built with the product, packed apart.
BENCHJAR := target/synod-bench.jar
# Classes a node loads, recorded once by a training run: node JVMs start about twice as fast.
JSA := target/node.jsa
# The ZooKeeper comparison's load generator: the product plus ZooKeeper's client (a Maven profile of its own).
ZKJAR := target/bench-zk/synod-bench-zk.jar

.PHONY: all build test unit chromium shiviz netns-tools test-netns netns-demo netns-clean grade bench bench-etcd bench-zk sim nemesis clean

all: build

build: $(JAR) $(JSA)

$(JAR): pom.xml $(shell find src/main src/bench -type f 2>/dev/null)
	$(MVN) -DskipTests package

$(JSA): $(JAR)
	@rm -f $(JSA)
	timeout 60 java -XX:ArchiveClassesAtExit=$(JSA) -Xlog:cds=off -Xlog:cds+dynamic=off -cp $(JAR) synod.runtime.Train \
	  || { rm -f $(JSA); echo "make: no CDS archive (training failed); nodes start without it" >&2; }

# Unit, scenario and simulation tests (Surefire), then every end-to-end case through bin/master.
test: unit grade

# The trace page's tests open it in headless Chromium: the distribution's package, installed if
# missing (where it cannot be, those tests are skipped and say so).
unit: chromium shiviz netns-tools
	mvn -B -ntp test

chromium:
	@command -v chromium >/dev/null 2>&1 || { echo "make: installing chromium for the trace page's browser tests" >&2; \
	  sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  { $$sudo apt-get update -qq && $$sudo apt-get install -y -qq chromium; } >&2 \
	  || echo "make: chromium could not be installed; the browser tests will be skipped" >&2; }

# ShiViz itself (MIT licence, about 6 MB, so not vendored), at a fixed commit, for the test that
# loads the --trace FILE.log export in it; without network the test is skipped and says so.
SHIVIZ_COMMIT := ea00d3d48b2e4a2adc3c87c27d2f0119100ce36a
shiviz:
	@[ -f target/shiviz/index.html ] || { rm -rf target/shiviz && mkdir -p target/shiviz \
	  && git -C target/shiviz init -q && git -C target/shiviz remote add origin https://github.com/DistributedClocks/shiviz \
	  && timeout 60 git -C target/shiviz fetch -q --depth 1 origin $(SHIVIZ_COMMIT) \
	  && git -C target/shiviz checkout -q FETCH_HEAD; } >&2 \
	  || { rm -rf target/shiviz; echo "make: ShiViz could not be fetched; the test loading the trace in it will be skipped" >&2; }

# Two cases at a time: a case waits much of its time (elections, timeouts, fsyncs), so two keep the
# cores busier; GRADE_JOBS=1 runs them one by one.
GRADE_JOBS ?= 2
grade: build
	bin/grade -j $(GRADE_JOBS) test-cases

# The namespace test network (NetnsTest, also part of `make unit`): iproute2 and nftables, installed
# if missing; without them, or without root, the test is skipped and says why.
netns-tools:
	@{ command -v ip && command -v nft; } >/dev/null 2>&1 || { echo "make: installing iproute2 and nftables for the namespace tests" >&2; \
	  sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  { $$sudo apt-get update -qq && $$sudo apt-get install -y -qq iproute2 nftables; } >&2 \
	  || echo "make: iproute2/nftables could not be installed; the namespace tests will be skipped" >&2; }

# A group of three in network namespaces, its master in a fourth, through a kill -9 and real partitions
# (nftables inside the namespaces), the history checked; under a minute. `make test-netns PLAN=1x5:4:2:12`
# runs another plan (GROUPSxREPLICAS:KILLS:FAULTS:PARTITIONS), SEED=N another seed. Whatever happens, no namespace
# of the run is left: the test removes its own, and this target those of any run that is gone.
test-netns: netns-tools
	@trap '$(MAKE) -s netns-clean' EXIT; \
	  mvn -B -ntp test -Dsurefire.failIfNoSpecifiedTests=false -Dtest='NetnsTest' $(if $(SEED),-Dnemesis.seed=$(SEED)) \
	    $(if $(PLAN),-Dnetns.plan=$(PLAN))

# Three nodes started by hand, each in its own namespace with its own address, a client in a fourth;
# a partition and its heal; everything removed at the end (also on Ctrl-C).
netns-demo: build netns-tools
	bin/netns-demo

# Removes the namespaces (synodPID-*) of test runs and demos whose process is gone, with what runs in them.
netns-clean:
	@for ns in $$(ip netns list 2>/dev/null | grep -o '^synod[0-9]*-[a-z0-9]*'); do \
	  pid=$${ns#synod}; pid=$${pid%%-*}; \
	  kill -0 $$pid 2>/dev/null && continue; \
	  for p in $$(ip netns pids $$ns 2>/dev/null); do kill -9 $$p 2>/dev/null; done; \
	  ip netns del $$ns && echo "make: removed $$ns, left by a run that is gone" >&2; \
	done; true

bench: build
	bin/bench

# synod against a 3-member etcd (installed from the distribution's etcd-server if missing), side by
# side at 1, 16 and 64 clients; SECONDS per point (default 3).
bench-etcd: build
	bin/bench etcd $(SECONDS)

# The same against a 3-node ZooKeeper ensemble (the distribution's zookeeper package).
bench-zk: build $(ZKJAR)
	bin/bench zk $(SECONDS)

$(ZKJAR): pom.xml $(JAR) $(shell find src/bench-zk -type f 2>/dev/null)
	$(MVN) -P bench-zk -Dmaven.test.skip=true package

# Seeded simulations (Multi-Paxos under faults, 2PC over Paxos groups, and the CS380D bank): `make sim
# SEED=N` replays one seed exactly, `make sim SEEDS=K` runs K seeds (make test runs 2,000 Paxos, 1,000
# 2PC and a few hundred bank seeds).
sim:
	mvn -B -ntp test -Dsurefire.failIfNoSpecifiedTests=false -Dtest='PaxosSimTest,TxnSimTest,BankSimulationTest' \
	  $(if $(SEED),-Dsim.seed=$(SEED)) $(if $(SEEDS),-Dsim.seeds=$(SEEDS))

# The nemesis suite, Jepsen-style: real node JVMs on 3 nodes, 5 nodes and 3 groups of 3 under load, 100+
# kill -9 and 50+ pause and cut-off cycles, every history checked (linearizability, bank, locks); writes
# docs/reliability.md; 15-20 minutes, progress on stderr. `make nemesis SEED=N` replays a seed's faults.
# (make test runs a short version.)
nemesis:
	mvn -B -ntp -P nemesis test -Dsurefire.failIfNoSpecifiedTests=false -Dtest='NemesisTest' \
	  $(if $(SEED),-Dnemesis.seed=$(SEED))

clean:
	$(MVN) clean
	rm -rf logs/*/
