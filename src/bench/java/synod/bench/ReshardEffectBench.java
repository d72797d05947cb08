package synod.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import synod.app.Op;
import synod.app.Result;
import synod.master.PaxosCluster;
import synod.partition.Reshard;

/**
 * {@code bin/bench reshard-effect [SECONDS [CLIENTS]]}: what resharding buys, in one run. The
 * sharded bank (3 groups of 3, items 1..9000 in three ranges) runs a skewed workload whose hot
 * pairs sit in different groups (30 communities of 300 items, each scattered over the three ranges
 * by a fixed permutation; nine transfers in ten stay within the sender's community), measured;
 * then the items are moved as {@code PrintReshard} moves them (the partition of the transfers just
 * sent, each move a two-phase commit, eight at a time); then the same workload is measured again.
 * Printed: throughput, p50/p99 and the fraction of transfers across groups, before and after, and
 * how long the moves took.
 */
public final class ReshardEffectBench {
    static final int ITEMS = ShardBench.GROUPS * ShardBench.ITEMS_PER_GROUP;
    static final int COMMUNITY = 300;
    static final int MOVERS = 8;
    static final long SEED = 535;

    private ReshardEffectBench() {}

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 10;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        ClosedLoop.Setup setup = ClosedLoop.setup("bench-reshard-effect");
        System.out.printf("synod bench: resharding's effect, 3 groups of 3, %d items in communities of %d scattered over"
                + " the ranges, 9 transfers in 10 within one, %d clients, %d s a phase, load average %s%n", ITEMS,
                COMMUNITY, clients, seconds, ShardBench.loadAverage());
        BenchProgress.plan(2);
        try (PaxosCluster cluster = ShardBench.shardedCluster(setup)) {
            ShardBench.open(cluster, ShardBench.GROUPS);
            BenchProgress.phase("warming up");
            ClosedLoop.Warm warm = ClosedLoop.warmUntilSteady(w -> new Transfers(cluster, "warm" + w + "-", clients, null),
                    clients, ClosedLoop.PRIME_SECONDS, ShardBench.WARM_SECONDS_MAX,
                    ProcessHandle.current().descendants().toList());
            BenchProgress.clear();
            System.out.printf("(warmed %s)%n", warm.describe());
            List<List<String>> history = Collections.synchronizedList(new ArrayList<>());
            Phase before = phase(cluster, "before", clients, seconds, history);

            BenchProgress.phase("moving the items");
            long t0 = System.nanoTime();
            List<Reshard.Move> plan = Reshard.plan(items(), cluster::groupOfItem, recent(history), ShardBench.GROUPS, SEED);
            double planMs = (System.nanoTime() - t0) / 1e6;
            long moved = move(cluster, plan);
            double moveSeconds = (System.nanoTime() - t0) / 1e9;
            BenchProgress.clear();

            Phase after = phase(cluster, "after", clients, seconds, null);
            System.out.println("phase    committed/s  p50 ms  p99 ms  across groups  aborted");
            before.print();
            after.print();
            System.out.printf("(resharding: plan from the last %d transfers in %.0f ms; %d of %d moves committed in %.1f s;"
                    + " after/before: %.2fx the throughput, %.2fx the fraction across groups; load average %s)%n",
                    Math.min(history.size(), HISTORY), planMs, moved, plan.size(), moveSeconds,
                    after.committedPerSecond() / before.committedPerSecond(), after.across / before.across,
                    ShardBench.loadAverage());
        }
    }

    /** How many of the most recent transfers the plan is made from (as PrintReshard's history). */
    static final int HISTORY = 100_000;

    private static List<List<String>> recent(List<List<String>> history) {
        synchronized (history) {
            return new ArrayList<>(history.subList(Math.max(0, history.size() - HISTORY), history.size()));
        }
    }

    private record Phase(String name, ClosedLoop.Run run, double across, double aborted) {
        double committedPerSecond() {
            return run.opsPerSecond() * (1 - aborted);
        }

        void print() {
            System.out.printf("%-8s %12.0f %7.2f %7.2f %13.1f%% %7.2f%%%n", name, committedPerSecond(), run.pct(0.5),
                    run.pct(0.99), 100 * across, 100 * aborted);
        }
    }

    private static Phase phase(PaxosCluster cluster, String name, int clients, long seconds,
                               List<List<String>> history) throws Exception {
        BenchProgress.point(name + " resharding, " + clients + " clients");
        try (Transfers t = new Transfers(cluster, name + "-", clients, history)) {
            ClosedLoop.Run r = ClosedLoop.run(t, clients, seconds).checked("reshard-effect " + name);
            BenchProgress.clear();
            return new Phase(name, r, (double) t.across.get() / Math.max(1, t.sent.get()),
                    (double) t.aborted.get() / Math.max(1, t.done.get()));
        }
    }

    /** Makes the plan's moves, {@link #MOVERS} at a time; returns how many committed. */
    private static long move(PaxosCluster cluster, List<Reshard.Move> plan) throws Exception {
        AtomicLong committed = new AtomicLong();
        List<CompletableFuture<Void>> movers = new ArrayList<>();
        for (int m = 0; m < MOVERS; m++) {
            movers.add(moves(cluster, "mover-" + m, plan, m, committed));
        }
        CompletableFuture.allOf(movers.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        return committed.get();
    }

    /** Mover {@code client}'s moves: number i, then i + MOVERS, ..., one after the other. */
    private static CompletableFuture<Void> moves(PaxosCluster cluster, String client, List<Reshard.Move> plan, int first,
                                                 AtomicLong committed) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        long seq = 0;
        for (int i = first; i < plan.size(); i += MOVERS) {
            Reshard.Move m = plan.get(i);
            long s = ++seq;
            chain = chain.thenCompose(x -> cluster.submit(client, s, new Op.Move(m.item(), m.to()), m.from())
                    .thenAccept(r -> {
                        if (r instanceof Result.Committed) {
                            cluster.moved(m.item(), m.to());
                            committed.incrementAndGet();
                        }
                    }));
        }
        return chain;
    }

    static List<String> items() {
        List<String> items = new ArrayList<>(ITEMS);
        for (int i = 1; i <= ITEMS; i++) {
            items.add(String.valueOf(i));
        }
        return items;
    }

    /** Item index u (0..ITEMS-1) after the fixed scattering: 7919 is prime to 9000, so a permutation. */
    static String item(int u) {
        return String.valueOf((int) ((u * 7919L) % ITEMS) + 1);
    }

    /** Transfers of 1 in the communities workload, each sent to its sender's group as the master routes it now. */
    static final class Transfers implements Target {
        private final PaxosCluster cluster;
        private final String prefix;
        private final Random[] rnd;
        private final List<List<String>> history;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong across = new AtomicLong();
        final AtomicLong done = new AtomicLong();
        final AtomicLong aborted = new AtomicLong();

        Transfers(PaxosCluster cluster, String prefix, int clients, List<List<String>> history) {
            this.cluster = cluster;
            this.prefix = prefix;
            this.history = history;
            this.rnd = new Random[clients];
            for (int c = 0; c < clients; c++) {
                rnd[c] = new Random(SEED * 7919L + c);
            }
        }

        @Override
        public CompletableFuture<Result> submit(int client, long seq) {
            Random r = rnd[client];
            int u = r.nextInt(ITEMS);
            int v;
            do {
                v = r.nextDouble() < 0.9 ? (u / COMMUNITY) * COMMUNITY + r.nextInt(COMMUNITY) : r.nextInt(ITEMS);
            } while (v == u);
            String from = item(u);
            String to = item(v);
            int g = cluster.groupOfItem(from);
            sent.incrementAndGet();
            if (cluster.groupOfItem(to) != g) {
                across.incrementAndGet();
            }
            if (history != null) {
                history.add(List.of(from, to));
            }
            return cluster.submit(prefix + client, seq, new Op.Transfer(from, to, 1), g).thenApply(res -> {
                done.incrementAndGet();
                if (res instanceof Result.Aborted) {
                    aborted.incrementAndGet();
                } else if (!(res instanceof Result.Committed)) {
                    throw new IllegalStateException("transfer " + from + " -> " + to + ": " + res);
                }
                return res;
            });
        }
    }
}
