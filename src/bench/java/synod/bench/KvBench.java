package synod.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import synod.app.KvShard;
import synod.app.Op;
import synod.app.Result;
import synod.master.PaxosCluster;
import synod.txn.TxnOp;

/**
 * {@code bin/bench kv [SECONDS [CROSS%]]}: the sharded key-value store, 3 groups of 3 nodes, fsync
 * on, closed-loop clients at 1, 16 and 64. Measured on one cluster, one after the other: puts of
 * one key (the baseline), then transactions that put two keys, the second in another group with
 * probability CROSS (two-phase commit), else in the first's group (one log entry). Keys are drawn
 * uniformly from 3,000 per group, values are 16 bytes. Reports operations per second, p50/p99 at
 * the client, the fraction of transactions aborted, and the load generator's own CPU.
 */
public final class KvBench {
    private static final int GROUPS = 3;
    private static final int REPLICAS = 3;
    private static final int KEYS_PER_GROUP = 3000;
    private static final String VALUE = "0123456789abcdef";

    private KvBench() {}

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 3;
        double cross = args.length > 1 ? Double.parseDouble(args[1].replace("%", "")) / 100 : 0.10;
        System.out.printf("synod bench: sharded key-value store, %d groups of %d, fsync on, %d s per point, 2-key"
                + " transactions %.0f%% cross-group, uniform keys, %d cores%n", GROUPS, REPLICAS, seconds, cross * 100,
                Runtime.getRuntime().availableProcessors());
        TreeMap<Integer, List<String>> keys = keys();
        ClosedLoop.Setup setup = ClosedLoop.setup("bench-kv");
        List<ClosedLoop.Run> puts = new ArrayList<>();
        List<Load> txns = new ArrayList<>();
        try (PaxosCluster cluster = ShardBench.shardedCluster(setup)) {
            // nine node JVMs on two cores compile slowly: warm up three times as long as one group
            BenchProgress.plan(2 * Workload.CONCURRENCY.length);
            BenchProgress.phase("warming up");
            try (Load warm = new Load(cluster, keys, "warm-", cross, true, 64)) {
                ClosedLoop.run(warm, 64, ClosedLoop.PRIME_SECONDS * GROUPS);
            }
            for (int clients : Workload.CONCURRENCY) {
                BenchProgress.point(clients + " clients, puts");
                try (Load p = new Load(cluster, keys, "p" + clients + "-", cross, false, clients)) {
                    puts.add(ClosedLoop.run(p, clients, seconds).checked("kv bench puts"));
                }
                BenchProgress.point(clients + " clients, transactions");
                try (Load t = new Load(cluster, keys, "t" + clients + "-", cross, true, clients)) {
                    t.run = ClosedLoop.run(t, clients, seconds).checked("kv bench transactions");
                    txns.add(t);
                }
            }
        }
        BenchProgress.clear();
        System.out.println("clients   txn ops/s  p50 ms  p99 ms  aborted  gen CPU   put ops/s  p50 ms  p99 ms  ratio");
        for (int i = 0; i < Workload.CONCURRENCY.length; i++) {
            Load t = txns.get(i);
            ClosedLoop.Run p = puts.get(i);
            double committed = t.run.opsPerSecond() * (1 - t.abortedFraction());
            System.out.printf("%7d   %9.0f  %6.2f  %6.2f  %6.2f%%  %6.0f%%   %9.0f  %6.2f  %6.2f  %5.2fx%n",
                    Workload.CONCURRENCY[i], committed, t.run.pct(0.50), t.run.pct(0.99), 100 * t.abortedFraction(),
                    t.run.generatorCpu() * 100, p.opsPerSecond(), p.pct(0.50), p.pct(0.99), committed / p.opsPerSecond());
        }
    }

    /** {@value #KEYS_PER_GROUP} keys of each group, found by their hash. */
    private static TreeMap<Integer, List<String>> keys() {
        TreeMap<Integer, List<String>> keys = new TreeMap<>();
        for (int i = 0; keys.values().stream().mapToInt(List::size).sum() < GROUPS * KEYS_PER_GROUP; i++) {
            List<String> mine = keys.computeIfAbsent(KvShard.groupOf("key" + i, GROUPS), g -> new ArrayList<>());
            if (mine.size() < KEYS_PER_GROUP) {
                mine.add("key" + i);
            }
        }
        return keys;
    }

    /** Puts of one key, or transactions putting two, from uniform keys of a uniform group. */
    private static final class Load implements Target {
        private final PaxosCluster cluster;
        private final TreeMap<Integer, List<String>> keys;
        private final String prefix;
        private final double cross;
        private final boolean txn;
        private final Random[] rnd;
        final AtomicLong aborted = new AtomicLong();
        final AtomicLong done = new AtomicLong();
        ClosedLoop.Run run;

        Load(PaxosCluster cluster, TreeMap<Integer, List<String>> keys, String prefix, double cross, boolean txn,
             int clients) {
            this.cluster = cluster;
            this.keys = keys;
            this.prefix = prefix;
            this.cross = cross;
            this.txn = txn;
            this.rnd = new Random[clients];
            for (int c = 0; c < clients; c++) {
                rnd[c] = new Random(c * 7919L + clients);
            }
        }

        double abortedFraction() {
            return (double) aborted.get() / Math.max(1, done.get());
        }

        @Override
        public CompletableFuture<Result> submit(int client, long seq) {
            Random r = rnd[client];
            int g = 1 + r.nextInt(GROUPS);
            String first = key(g, r);
            if (!txn) {
                return cluster.submit(prefix + client, seq, new Op.Put(first, VALUE), g).thenApply(res -> expect(res,
                        Result.Ok.class));
            }
            int h = r.nextDouble() < cross ? 1 + (g + r.nextInt(GROUPS - 1)) % GROUPS : g;
            String second = key(h, r);
            while (second.equals(first)) {
                second = key(h, r);
            }
            Op op = new Op.KvTxn(List.of(new TxnOp.Put(first, VALUE), new TxnOp.Put(second, VALUE)));
            return cluster.submit(prefix + client, seq, op, g).thenApply(res -> {
                done.incrementAndGet();
                if (res instanceof Result.Aborted) {
                    aborted.incrementAndGet(); // a 2PC timeout, say: counted, and the client goes on
                    return res;
                }
                return expect(res, Result.Committed.class);
            });
        }

        private String key(int g, Random r) {
            List<String> mine = keys.get(g);
            return mine.get(r.nextInt(mine.size()));
        }

        private static Result expect(Result r, Class<? extends Result> want) {
            if (!want.isInstance(r)) {
                throw new IllegalStateException("kv bench: " + r);
            }
            return r;
        }
    }
}
