# synod: the two commands a newcomer needs are `make` (build) and `make test` (everything CI runs).
MVN ?= mvn -q -B
JAR := target/synod.jar

.PHONY: all build test unit grade bench clean

all: build

build: $(JAR)

$(JAR): pom.xml $(shell find src/main -type f 2>/dev/null)
	$(MVN) -DskipTests package

# Unit, scenario and simulation tests (Surefire), then every end-to-end case through bin/master.
test: unit grade

unit:
	mvn -B -ntp test

grade: $(JAR)
	bin/grade test-cases

bench: $(JAR)
	bin/bench

clean:
	$(MVN) clean
	rm -rf logs/*/
