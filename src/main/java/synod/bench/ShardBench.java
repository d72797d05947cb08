package synod.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import synod.app.Op;
import synod.app.Result;
import synod.master.PaxosCluster;

/**
 * {@code bin/bench shard [SECONDS [CROSS%]]}: the sharded bank, 3 groups of 3 nodes, fsync on,
 * closed-loop clients at 1, 16 and 64 sending transfers of 1 between uniformly drawn items, CROSS%
 * of them to an item of another group (two-phase commit), the rest within the sender's group.
 * Beside it, in the same run, the single-group bank (one group of 3) under the same clients and
 * the same intra-group transfers: the baseline. Reports committed transfers per second, p50/p99
 * at the client, the fraction aborted, and the load generator's own CPU.
 */
public final class ShardBench {
    private static final int GROUPS = 3;
    private static final int REPLICAS = 3;
    private static final int ITEMS_PER_GROUP = 3000;
    private static final long BALANCE = 1_000_000_000L;
    /** The longest warm-up: past it the figures are taken anyway, and the warm-up line shows the trend. */
    private static final long WARM_SECONDS_MAX = 180;

    private ShardBench() {}

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 3;
        double cross = args.length > 1 ? Double.parseDouble(args[1].replace("%", "")) / 100 : 0.10;
        System.out.printf("synod bench: sharded bank, %d groups of %d, fsync on, %d s per point, %.0f%% cross-group,"
                + " uniform items, %d cores%n", GROUPS, REPLICAS, seconds, cross * 100,
                Runtime.getRuntime().availableProcessors());
        ClosedLoop.Setup setup = ClosedLoop.setup("bench-shard");
        List<Point> base;
        try (PaxosCluster one = setup.group(REPLICAS)) {
            open(one, 1);
            base = points(one, 1, 0, seconds);
        }
        List<Point> sharded;
        try (PaxosCluster many = shardedCluster(setup)) {
            open(many, GROUPS);
            sharded = points(many, GROUPS, cross, seconds);
        }
        System.out.println("clients   sharded ops/s  p50 ms  p99 ms  aborted  gen CPU   1 group ops/s  p50 ms  ratio");
        int[] clients = Workload.CONCURRENCY;
        for (int i = 0; i < clients.length; i++) {
            Point s = sharded.get(i);
            Point b = base.get(i);
            System.out.printf("%7d   %13.0f  %6.2f  %6.2f  %6.2f%%  %6.0f%%   %13.0f  %6.2f  %5.2fx%n", clients[i],
                    s.committedPerSecond(), s.run().pct(0.50), s.run().pct(0.99), 100 * s.aborted(),
                    s.run().generatorCpu() * 100, b.committedPerSecond(), b.run().pct(0.50),
                    s.committedPerSecond() / b.committedPerSecond());
        }
    }

    /** Three groups of three fresh nodes, each with a leader (also the key-value bench's cluster). */
    static PaxosCluster shardedCluster(ClosedLoop.Setup setup) throws Exception {
        PaxosCluster cluster = new PaxosCluster(setup.cfg(), setup.logs(), null, 1);
        try {
            cluster.start(GROUPS, REPLICAS);
            for (int g = 1; g <= GROUPS; g++) {
                if (cluster.awaitLeader(g, setup.cfg().startMillis()) == null) {
                    throw new IllegalStateException("group " + g + " has no leader");
                }
            }
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Items 1..3000 in group 1, 3001..6000 in group 2, ...; every group told the placement. */
    private static void open(PaxosCluster cluster, int groups) throws Exception {
        List<Op.Range> ranges = new ArrayList<>();
        for (int g = 1; g <= groups; g++) {
            ranges.add(new Op.Range(String.valueOf((g - 1) * ITEMS_PER_GROUP + 1), String.valueOf(g * ITEMS_PER_GROUP), g));
        }
        for (int g = 1; g <= groups; g++) {
            List<String> ids = new ArrayList<>();
            for (int i = (g - 1) * ITEMS_PER_GROUP + 1; i <= g * ITEMS_PER_GROUP; i++) {
                ids.add(String.valueOf(i));
            }
            expect(cluster.submit("opener", 1, new Op.Open(ids, BALANCE), g).get(), Result.Opened.class);
            if (groups > 1) {
                expect(cluster.submit("placer", 1, new Op.Place(ranges), g).get(), Result.Ok.class);
            }
        }
    }

    private static void expect(Result r, Class<? extends Result> want) {
        if (!want.isInstance(r)) {
            throw new IllegalStateException("setting up the bank: " + r);
        }
    }

    /** One measured point: the run, and the fraction of its transfers that aborted. */
    private record Point(ClosedLoop.Run run, double aborted) {
        double committedPerSecond() {
            return run.opsPerSecond() * (1 - aborted);
        }
    }

    /** Warms the cluster up unmeasured, then measures each client count. */
    private static List<Point> points(PaxosCluster cluster, int groups, double cross, long seconds)
            throws Exception {
        // Nine node JVMs share two cores and each sees a third of the load: they take far longer than
        // one group's three to compile what they run, so both warm until their throughput is steady.
        List<Double> rates = ClosedLoop.warmUntilSteady(w -> new Transfers(cluster, "warm" + w + "-", groups, cross, 64),
                64, ClosedLoop.PRIME_SECONDS, WARM_SECONDS_MAX);
        System.out.printf("(%s warmed %d s: %s ops/s)%n", groups > 1 ? "sharded" : "1 group",
                rates.size() * (ClosedLoop.STEADY_WINDOW_SECONDS + 1),
                String.join(" ", rates.stream().map(r -> String.format("%.0f", r)).toList()));
        List<Point> runs = new ArrayList<>();
        for (int clients : Workload.CONCURRENCY) {
            try (Transfers t = new Transfers(cluster, "t" + clients + "-", groups, cross, clients)) {
                ClosedLoop.Run r = ClosedLoop.run(t, clients, seconds).checked("shard bench");
                runs.add(new Point(r, t.abortedFraction()));
                if (t.firstAbort.get() != null) {
                    System.out.printf("(%d clients: %.1f%% aborted, the first: %s)%n", clients, 100 * t.abortedFraction(),
                            t.firstAbort.get());
                }
            }
        }
        return runs;
    }

    /**
     * Transfers of 1 from a uniform item of a uniform group; with probability {@code cross} to an
     * item of another group. Aborted transfers are counted (the fraction aborted) and taken out of
     * the committed rate.
     */
    private static final class Transfers implements Target {
        private final PaxosCluster cluster;
        private final String prefix;
        private final int groups;
        private final double cross;
        private final Random[] rnd;
        final AtomicLong aborted = new AtomicLong();
        final AtomicLong done = new AtomicLong();
        final java.util.concurrent.atomic.AtomicReference<String> firstAbort = new java.util.concurrent.atomic.AtomicReference<>();

        double abortedFraction() {
            return (double) aborted.get() / Math.max(1, done.get());
        }

        Transfers(PaxosCluster cluster, String prefix, int groups, double cross, int clients) {
            this.cluster = cluster;
            this.prefix = prefix;
            this.groups = groups;
            this.cross = cross;
            this.rnd = new Random[clients];
            for (int c = 0; c < clients; c++) {
                rnd[c] = new Random(c * 7919L + clients);
            }
        }

        @Override
        public CompletableFuture<Result> submit(int client, long seq) {
            Random r = rnd[client];
            int g = 1 + r.nextInt(groups);
            int h = groups > 1 && r.nextDouble() < cross ? 1 + (g + r.nextInt(groups - 1)) % groups : g;
            String from = item(g, r);
            String to = item(h, r);
            return cluster.submit(prefix + client, seq, new Op.Transfer(from, to, 1), g).thenApply(res -> {
                done.incrementAndGet();
                if (res instanceof Result.Aborted a) {
                    aborted.incrementAndGet(); // a 2PC timeout, say: counted, and the client goes on
                    firstAbort.compareAndSet(null, from + " -> " + to + ": " + a.reason());
                } else if (!(res instanceof Result.Committed)) {
                    throw new IllegalStateException("transfer " + from + " -> " + to + ": " + res);
                }
                return res;
            });
        }

        private static String item(int g, Random r) {
            return String.valueOf((g - 1) * ITEMS_PER_GROUP + 1 + r.nextInt(ITEMS_PER_GROUP));
        }
    }
}
