package synod.master;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import synod.app.Op;
import synod.app.Result;
import synod.partition.Reshard;

/**
 * {@code PrintReshard} at the CSE535 prompt and in scripts: the last {@link #HISTORY} transfers the
 * master sent (each as submitted, whatever its outcome: the access pattern is what matters) are
 * partitioned by {@link Reshard}, every item the new mapping puts in another group is moved there
 * ({@link Op.Move}: a two-phase commit its group coordinates, with every group taking part), and
 * each item moved is printed as {@code (ITEM, cFROM, cTO)}, in item order, once its move committed.
 *
 * <p>Moves run {@link #MOVERS} at a time, each mover one move after the other; a move that meets
 * its item locked by a transfer is retried by the client session like any busy request. A move
 * that does not commit (a group without a majority, say) is an error naming the item, and the item
 * stays where it was: printed are only the items that did move.
 */
final class Resharding {
    /** How many of the most recent transfers the graph is built from. */
    static final int HISTORY = 10_000;
    /** How many moves are in flight at once. */
    static final int MOVERS = 8;
    private final Deque<List<String>> history = new ArrayDeque<>();
    private final long seed;
    /** The movers' request numbers: they grow for as long as the master runs, across clusters. */
    private final java.util.concurrent.atomic.AtomicLong moveSeq = new java.util.concurrent.atomic.AtomicLong();

    Resharding(long seed) {
        this.seed = seed;
    }

    /** Notes a transfer between {@code from} and {@code to}; the oldest is forgotten beyond {@link #HISTORY}. */
    synchronized void transfer(String from, String to) {
        history.addLast(List.of(from, to));
        if (history.size() > HISTORY) {
            history.removeFirst();
        }
    }

    /** Forgets every transfer (a FLUSH puts every item back where the ranges say). */
    synchronized void clear() {
        history.clear();
    }

    /**
     * Plans the moves of {@code items} (in print order) over {@code cluster}'s groups, makes them,
     * waiting at most {@code millis} for all, and prints those that committed.
     */
    void reshard(List<String> items, PaxosCluster cluster, long millis, PrintStream out,
                 BankRunner.Diagnostics diag, int line) {
        int groups = cluster.groups();
        if (groups < 2) {
            diag.error(line, "PrintReshard needs a sharded cluster (StartCluster G R with G > 1)");
            return;
        }
        List<List<String>> recent;
        synchronized (this) {
            recent = new ArrayList<>(history);
        }
        List<Reshard.Move> plan = Reshard.plan(items, cluster::groupOfItem, recent, groups, seed);
        List<java.util.concurrent.CompletableFuture<Result>> results = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            results.add(new java.util.concurrent.CompletableFuture<>());
        }
        for (int m = 0; m < Math.min(MOVERS, plan.size()); m++) {
            next(cluster, "reshard-" + (m + 1), plan, results, m);
        }
        long end = synod.runtime.EventLoop.nowMillis() + millis;
        for (int i = 0; i < plan.size(); i++) {
            Reshard.Move m = plan.get(i);
            Result r;
            try {
                r = results.get(i).get(Math.max(0, end - synod.runtime.EventLoop.nowMillis()),
                        java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                r = new Result.Aborted("no answer within " + millis + " ms");
            }
            if (r instanceof Result.Committed) {
                out.println(triplet(m));
            } else {
                diag.error(line, triplet(m) + " was not moved: " + synod.client.ResultLines.transfer(r));
            }
        }
        awaitEverywhere(cluster, end, diag, line);
    }

    /**
     * Waits (until {@code end}) for every reachable node to hold the mapping the master has: a move
     * commits at its coordinator first, and the other groups apply it when its decision reaches
     * them. So once PrintReshard returns, every node routes by the new mapping.
     */
    private static void awaitEverywhere(PaxosCluster cluster, long end, BankRunner.Diagnostics diag, int line) {
        String version = "v" + cluster.placementVersion() + ":";
        List<String> nodes = new ArrayList<>();
        for (int g = 1; g <= cluster.groups(); g++) {
            cluster.group(g).stream().filter(cluster::reachable).forEach(nodes::add);
        }
        while (true) {
            List<String> behind = new ArrayList<>();
            List<List<String>> answers = cluster.queryAll(nodes, "placement", 0, 1000);
            for (int i = 0; i < nodes.size(); i++) {
                if (answers.get(i) == null || !answers.get(i).get(0).startsWith(version)) {
                    behind.add(nodes.get(i));
                }
            }
            if (behind.isEmpty()) {
                return;
            }
            if (synod.runtime.EventLoop.nowMillis() >= end) {
                diag.warning(line, String.join(", ", behind) + " had not applied every move when PrintReshard ended");
                return;
            }
            if (!PaxosCluster.pause()) { // the decisions travel between other processes
                return;
            }
        }
    }

    /** Mover {@code client} makes move {@code i}, then the one {@link #MOVERS} further on. */
    private void next(PaxosCluster cluster, String client, List<Reshard.Move> plan,
                      List<java.util.concurrent.CompletableFuture<Result>> results, int i) {
        if (i >= plan.size()) {
            return;
        }
        Reshard.Move m = plan.get(i);
        cluster.submit(client, moveSeq.incrementAndGet(), new Op.Move(m.item(), m.to()), m.from())
                .whenComplete((r, e) -> {
                    if (r instanceof Result.Committed) {
                        cluster.moved(m.item(), m.to());
                    }
                    results.get(i).complete(e != null ? new Result.Aborted(e.toString()) : r);
                    next(cluster, client, plan, results, i + MOVERS);
                });
    }

    /** A move as SPEC section 3 prints it: {@code (2007, c1, c2)}. */
    static String triplet(Reshard.Move m) {
        return "(" + m.item() + ", c" + m.from() + ", c" + m.to() + ")";
    }
}
