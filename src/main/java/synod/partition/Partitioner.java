package synod.partition;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Multilevel k-way graph partitioning, after METIS (Karypis and Kumar, 1998): coarsen by heavy-edge
 * matching until the graph is small ({@link Coarsen}), partition the coarsest graph by greedy
 * region growing (several seeded tries, the best kept), then project it back level by level,
 * rebalancing and refining with Fiduccia-Mattheyses at each ({@link Refine}); then V-cycles, each
 * coarsening again within the parts found and refining back up, while they lower the cut.
 *
 * <p>Balance bound: every part weighs at most {@link #cap}, {@code max(ceil(W/k), floor((1+e)W/k))}
 * for total vertex weight W and imbalance e (3% by {@link #IMBALANCE}), whenever the vertices weigh
 * 1 each (as items do when resharding): the last level moves single vertices until every part fits.
 * With heavier vertices the bound is sought but may be missed by less than the heaviest vertex.
 *
 * <p>Pure and deterministic: the result is a function of the graph, k, the imbalance and the seed.
 */
public final class Partitioner {
    /** The default imbalance: a part may weigh 3% more than an equal share. */
    public static final double IMBALANCE = 0.03;
    private static final int TRIES = 8;
    /** At most this many V-cycles after the first cycle, each kept only if it lowers the cut. */
    static final int V_CYCLES = 4;

    private Partitioner() {}

    /** The most a part may weigh: see the class comment. */
    public static long cap(long totalWeight, int k, double imbalance) {
        long even = (totalWeight + k - 1) / k;
        return Math.max(even, (long) Math.floor((1 + imbalance) * totalWeight / k));
    }

    /** Parts 0..k-1 for the vertices of {@code g}. */
    public static int[] partition(Graph g, int k, double imbalance, long seed) {
        int[] free = new int[g.n];
        java.util.Arrays.fill(free, -1);
        return partition(g, k, imbalance, seed, free);
    }

    /**
     * Parts 0..k-1 for the vertices of {@code g}, vertex u kept in part {@code fixed[u]} if that is
     * not -1 (anchors: a resharding ties each item to its current group by a light edge to its group's
     * fixed vertex, so moving it costs a little cut).
     */
    public static int[] partition(Graph g, int k, double imbalance, long seed, int[] fixed) {
        if (fixed.length != g.n) {
            throw new IllegalArgumentException(fixed.length + " fixed parts for " + g.n + " vertices");
        }
        for (int f : fixed) {
            if (f < -1 || f >= k) {
                throw new IllegalArgumentException("a vertex fixed to part " + f + " of " + k);
            }
        }
        if (k < 1 || !(imbalance >= 0 && imbalance <= 1)) {
            throw new IllegalArgumentException("partitioning into " + k + " parts with imbalance " + imbalance);
        }
        if (k == 1 || g.n == 0) {
            return new int[g.n];
        }
        Random rnd = new Random(seed);
        long cap = cap(g.totalWeight, k, imbalance);
        int[] part = multilevel(g, k, cap, rnd, fixed, null);
        long cut = g.cut(part);
        long over = over(g, part, k, cap);
        for (int v = 0; v < V_CYCLES; v++) {
            int[] again = multilevel(g, k, cap, rnd, fixed, part);
            long c = g.cut(again);
            long o = over(g, again, k, cap);
            if (o > over || (o == over && c >= cut)) {
                break; // stop at the first cycle that finds nothing better
            }
            part = again;
            cut = c;
            over = o;
        }
        return part;
    }

    /** The parts' total weight above the cap. */
    private static long over(Graph g, int[] part, int k, long cap) {
        long over = 0;
        for (long w : g.partWeights(part, k)) {
            over += Math.max(0, w - cap);
        }
        return over;
    }

    /**
     * One multilevel cycle: coarsen, partition the coarsest graph, project and refine level by level.
     * Given a partition ({@code side}, else null), a V-cycle (Karypis and Kumar, "Multilevel k-way
     * partitioning scheme for irregular graphs", 1998): coarsening matches only within its parts, so
     * it is the coarsest graph's partition, and refinement on the new levels, where different
     * vertices move together, can leave the local minimum the first cycle's refinement stopped in.
     */
    private static int[] multilevel(Graph g, int k, long cap, Random rnd, int[] fixed, int[] side) {
        List<int[]> fixes = new ArrayList<>();
        fixes.add(fixed);
        int[] sides = side;
        int coarsenTo = Math.max(20 * k, 40);
        long maxVertex = Math.max(1, (long) (1.5 * g.totalWeight / coarsenTo));
        List<Graph> graphs = new ArrayList<>();
        List<int[]> maps = new ArrayList<>();
        graphs.add(g);
        Graph cur = g;
        while (cur.n > coarsenTo) {
            Coarsen.Level level = Coarsen.step(cur, maxVertex, rnd, fixes.get(fixes.size() - 1), sides);
            if (level.coarse().n > 0.95 * cur.n) {
                break; // matching no longer shrinks it (a star, or weights at the limit)
            }
            maps.add(level.map());
            fixes.add(level.fixed());
            graphs.add(level.coarse());
            sides = level.side();
            cur = level.coarse();
        }
        int[] part;
        if (side == null) {
            part = initial(cur, k, cap, rnd, fixes.get(fixes.size() - 1));
        } else {
            part = sides.clone();
            Refine r = new Refine(cur, k, part, cap, fixes.get(fixes.size() - 1));
            r.rebalance();
            r.fm();
        }
        for (int i = graphs.size() - 2; i >= 0; i--) {
            Graph fine = graphs.get(i);
            int[] map = maps.get(i);
            int[] finer = new int[fine.n];
            for (int u = 0; u < fine.n; u++) {
                finer[u] = part[map[u]];
            }
            part = finer;
            Refine r = new Refine(fine, k, part, cap, fixes.get(i));
            r.rebalance();
            r.fm();
        }
        return part;
    }

    /** The best of several greedy region-growing partitions of the coarsest graph, each rebalanced and refined. */
    private static int[] initial(Graph g, int k, long cap, Random rnd, int[] fixed) {
        int[] best = null;
        long bestOver = 0;
        long bestCut = 0;
        for (int t = 0; t < TRIES; t++) {
            int[] part = grow(g, k, rnd, fixed);
            Refine r = new Refine(g, k, part, cap, fixed);
            r.rebalance();
            r.fm();
            long over = over(g, part, k, cap);
            long cut = g.cut(part);
            if (best == null || over < bestOver || (over == bestOver && cut < bestCut)) {
                best = part;
                bestOver = over;
                bestCut = cut;
            }
        }
        return best;
    }

    /**
     * Greedy graph growing: parts 0..k-2 each grown from a random unassigned vertex by adding the
     * unassigned vertex most connected to it, until it holds an equal share; the rest is part k-1.
     * A fixed vertex is its part's from the start (the region grows from it).
     */
    static int[] grow(Graph g, int k, Random rnd, int[] fixed) {
        int[] part = fixed.clone();
        int[] order = Coarsen.permutation(g.n, rnd);
        long share = g.totalWeight / k;
        long[] gain = new long[g.n];
        for (int p = 0; p < k - 1; p++) {
            java.util.Arrays.fill(gain, 0);
            long weight = 0;
            for (int u = 0; u < g.n; u++) {
                if (part[u] == p) {
                    weight += g.vwgt[u];
                    for (int e = g.xadj[u]; e < g.xadj[u + 1]; e++) {
                        gain[g.adj[e]] += g.ewgt[e];
                    }
                }
            }
            while (weight < share) {
                int u = -1;
                for (int v : order) { // the coarsest graph is small: a scan beats a heap's bookkeeping
                    if (part[v] == -1 && (u == -1 || gain[v] > gain[u])) {
                        u = v;
                    }
                }
                if (u == -1) {
                    break;
                }
                part[u] = p;
                weight += g.vwgt[u];
                for (int e = g.xadj[u]; e < g.xadj[u + 1]; e++) {
                    gain[g.adj[e]] += g.ewgt[e];
                }
            }
        }
        for (int u = 0; u < g.n; u++) {
            if (part[u] == -1) {
                part[u] = k - 1;
            }
        }
        return part;
    }
}
