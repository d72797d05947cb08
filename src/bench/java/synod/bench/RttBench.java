package synod.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import synod.app.Op;
import synod.master.PaxosCluster;

/**
 * {@code bin/bench rtt [SECONDS [ROUNDS [RTT_MS...]]]}: the lock service (one group of 3) and the
 * sharded bank (3 groups of 3, 10% of transfers across groups) at injected round-trip times (0.2,
 * 1 and 5 ms by default: the script's {@code Delay}, every node sending each message to a peer
 * RTT/2 late), beside the same cluster on bare loopback, at 1, 16 and 64 closed-loop clients. The
 * floor of a commit is one RTT (leader to a majority and back) plus one fsync (the acceptors force
 * in parallel), the fsync timed on the same disk in the same run. Every round visits every RTT and
 * client count, so a machine whose load drifts slows all points alike; each figure is the median
 * over the rounds. Printed beside each point: p50 as a multiple of the floor, and throughput as a
 * ratio to loopback at the same clients. Under load the clients' queueing is part of the latency:
 * the 1-client line is the one to hold against the floor.
 */
public final class RttBench {
    private static final double[] RTTS = {0.2, 1, 5};

    private RttBench() {}

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 3;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        double[] rtts = args.length > 2 ? Arrays.stream(args, 2, args.length).mapToDouble(Double::parseDouble).toArray()
                : RTTS;
        double[] all = new double[rtts.length + 1]; // loopback first: the baseline of the ratios
        System.arraycopy(rtts, 0, all, 1, rtts.length);
        System.out.printf("synod bench: injected RTT, fsync on, %d s per point, median of %d rounds, %d cores, java %s,"
                        + " load average %s%n", seconds, rounds, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), load());
        ClosedLoop.Setup setup = ClosedLoop.setup("bench-rtt");
        // A block of ports of its own: the machine's other runs may hold config/cluster.json's.
        Path file = setup.logs().resolve("cluster.json");
        synod.runtime.ClusterConfig cfg = synod.runtime.PortBlock.write(Path.of("config/cluster.json"), file);
        try (PaxosCluster one = setup.warm(ClosedLoop.Setup.group(setup.logs(), 3, cfg, file))) {
            section("locks, 1 group of 3", one, setup, seconds, rounds, all, (n, name) -> {
                String locks = "L" + name + "-";
                return new SynodTarget(one, name + "-",
                        (c, seq) -> seq % 2 == 1 ? new Op.Lock(locks + c) : new Op.Unlock(locks + c));
            });
        }
        try (PaxosCluster many = ShardBench.shardedCluster(setup, cfg, file)) {
            ShardBench.open(many, ShardBench.GROUPS);
            ShardMix.Generator gen = new ShardMix(0, 0.10, 0).generator(ShardBench.GROUPS, ShardBench.ITEMS_PER_GROUP,
                    ShardBench.SEED);
            try (Target warm = new ShardBench.Requests(many, "warm-", gen, 64)) {
                ClosedLoop.run(warm, 64, ClosedLoop.PRIME_SECONDS).checked("warm-up");
            }
            section("sharded bank 3x3, 10% cross-group transfers", many, setup, seconds, rounds, all,
                    (n, name) -> new ShardBench.Requests(many, name + "-", gen, n));
        }
        System.out.printf("fsync (same run, before the clusters): %.2f ms; load average at the end %s%n",
                1000 / setup.fsyncsPerSecond(), load());
    }

    /** The target for {@code clients} clients, its clients named after {@code name} (fresh every run). */
    private interface Targets {
        Target make(int clients, String name);
    }

    /** Every round: every RTT, every client count on {@code cluster}; then each point's medians. */
    private static void section(String what, PaxosCluster cluster, ClosedLoop.Setup setup, long seconds, int rounds,
                                double[] rtts, Targets targets) throws Exception {
        int[] clients = Workload.CONCURRENCY;
        List<List<List<ClosedLoop.Run>>> runs = new ArrayList<>(); // [rtt][clients][round]
        for (double ignored : rtts) {
            List<List<ClosedLoop.Run>> byClients = new ArrayList<>();
            for (int ignoredToo : clients) {
                byClients.add(new ArrayList<>());
            }
            runs.add(byClients);
        }
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < rtts.length; k++) {
                // In force long before the run's unmeasured first second ends.
                cluster.setDelay(Math.round(rtts[k] * 1000 / 2), 0);
                for (int i = 0; i < clients.length; i++) {
                    try (Target t = targets.make(clients[i], "r" + round + "-" + k + "-" + clients[i])) {
                        runs.get(k).get(i).add(ClosedLoop.run(t, clients[i], seconds).checked(what + " at RTT " + rtts[k]));
                    }
                }
            }
        }
        cluster.setDelay(0, 0);
        double fsync = 1000 / setup.fsyncsPerSecond();
        System.out.println(what + " (load average " + load() + ")");
        System.out.println("RTT ms  clients     ops/s   p50 ms   p99 ms  floor ms  p50/floor  p50 over loopback  ops/s vs loopback");
        for (int k = 0; k < rtts.length; k++) {
            for (int i = 0; i < clients.length; i++) {
                double ops = median(runs.get(k).get(i), ClosedLoop.Run::opsPerSecond);
                double p50 = median(runs.get(k).get(i), r -> r.pct(0.50));
                double floor = rtts[k] + fsync;
                // What the injected RTT added to the median, in RTTs: 1.0 if the runtime adds the wire's
                // round trip and nothing else (no extra hop, no tick waited for).
                String added = k == 0 ? "" : String.format("%.2f RTT", (p50 - median(runs.get(0).get(i),
                        r -> r.pct(0.50))) / rtts[k]);
                System.out.printf("%6.1f  %7d  %8.0f  %7.2f  %7.2f  %8.2f  %8.2fx  %17s  %8.2fx%n", rtts[k], clients[i],
                        ops, p50, median(runs.get(k).get(i), r -> r.pct(0.99)), floor, p50 / floor, added,
                        ops / median(runs.get(0).get(i), ClosedLoop.Run::opsPerSecond));
            }
        }
    }

    private static double median(List<ClosedLoop.Run> runs, java.util.function.ToDoubleFunction<ClosedLoop.Run> f) {
        double[] xs = runs.stream().mapToDouble(f).sorted().toArray();
        return xs[xs.length / 2];
    }

    /** The machine's 1, 5 and 15 minute load averages: the figures mean little without them. */
    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
