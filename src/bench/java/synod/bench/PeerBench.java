package synod.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import synod.app.Op;
import synod.master.PaxosCluster;

/**
 * {@code bin/bench etcd|zk [SECONDS]}: synod against a {@link Peer} on the same {@link Workload},
 * both 3 members on loopback with fsync on, driven by the same closed-loop generator at 1, 16 and 64
 * clients. The two systems never run at the same time (they would share the cores): synod's points
 * first, then the peer's. Prints one side-by-side table with the disk's single-fsync rate measured
 * in the same run.
 */
public final class PeerBench {
    private static final int MEMBERS = 3;

    private PeerBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !args[0].equals("etcd") || (args.length > 2 && !args[2].equals("jdk"))) {
            System.err.println("usage: PeerBench etcd [SECONDS [jdk]]   (ZooKeeper: synod.bench.zk.ZkBench [SECONDS [HANDLES]])");
            System.exit(2);
        }
        compare(new EtcdPeer(args.length > 2), args.length > 1 ? Long.parseLong(args[1]) : 3);
    }

    public static void compare(Peer peer, long seconds) throws Exception {
        Path dir = Path.of("logs", "bench-" + peer.name());
        wipe(dir);
        System.out.printf("synod vs %s: %d members each on 127.0.0.1, fsync on, %d-byte values to %d keys, %d s per point,"
                + " %d cores, java %s%n", peer.version(), MEMBERS, Workload.VALUE.length(), Workload.KEYS, seconds,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.printf("%s client: %s%n", peer.name(), peer.client());
        ClosedLoop.Setup setup = ClosedLoop.setup("bench-" + peer.name());
        Logger log = LoggerFactory.getLogger(PeerBench.class);
        BenchProgress.plan(2 * Workload.CONCURRENCY.length);
        List<ClosedLoop.Run> ours = synod(setup, seconds, log);
        List<ClosedLoop.Run> theirs;
        try (peer) {
            peer.start(dir);
            theirs = points(peer.name(), peer::target, peer.servers(), seconds, log);
        }
        BenchProgress.clear();
        SideBySide.print(peer.name(), ours, theirs);
    }

    /** Opens a target for a run of {@code clients} clients. */
    private interface Targets {
        Target open(Workload workload, int clients) throws Exception;
    }

    /**
     * One system's points, after {@link ClosedLoop#PRIME_SECONDS} unmeasured at the highest
     * concurrency: the first point would otherwise pay for JIT compilation, connection set-up and
     * files growing.
     */
    private static List<ClosedLoop.Run> points(String name, Targets targets, List<ProcessHandle> servers, long seconds,
                                               Logger log) throws Exception {
        int most = Workload.CONCURRENCY[Workload.CONCURRENCY.length - 1];
        BenchProgress.phase(name + ", warming up");
        try (Target t = targets.open(new Workload(most), most)) {
            ClosedLoop.run(t, most, ClosedLoop.PRIME_SECONDS).checked(name + " warm-up");
        }
        List<ClosedLoop.Run> runs = new ArrayList<>();
        for (int clients : Workload.CONCURRENCY) {
            BenchProgress.point(name + ", " + clients + " clients");
            try (Target t = targets.open(new Workload(clients), clients)) {
                runs.add(ClosedLoop.run(t, clients, seconds, servers).checked(name));
            }
            log.info("{} at {} clients: {} ops/s", name, clients, runs.get(runs.size() - 1).opsPerSecond());
        }
        return runs;
    }

    /** synod's points: a 3-node group started exactly as the other Paxos benchmarks start theirs. */
    private static List<ClosedLoop.Run> synod(ClosedLoop.Setup setup, long seconds, Logger log) throws Exception {
        try (PaxosCluster cluster = setup.group(MEMBERS)) {
            // every run's clients get fresh names: a reused name would be answered from the exactly-once cache
            AtomicInteger runs = new AtomicInteger();
            Targets targets = (w, clients) -> new SynodTarget(cluster, "w" + runs.incrementAndGet() + "-",
                    (c, seq) -> write(w, c));
            return points("synod", targets, nodes(cluster, setup.logs()), seconds, log);
        }
    }

    /** The write: a 64-byte value put to the key-value store, as etcd's put and ZooKeeper's setData. */
    private static Op write(Workload w, int client) {
        return new Op.Put(Workload.key(w.nextKey(client)), Workload.VALUE);
    }

    /** The group's node processes, by the pid files the cluster writes. */
    private static List<ProcessHandle> nodes(PaxosCluster cluster, Path logs) throws IOException {
        List<ProcessHandle> hs = new ArrayList<>();
        for (String id : cluster.group(1)) {
            long pid = Long.parseLong(Files.readString(logs.resolve(id).resolve("pid")).strip());
            ProcessHandle.of(pid).ifPresent(hs::add);
        }
        return hs;
    }

    /** The previous run's data and logs: every system starts from empty disks. */
    private static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
