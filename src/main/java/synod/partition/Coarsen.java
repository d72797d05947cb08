package synod.partition;

import java.util.Random;

/**
 * One coarsening step by heavy-edge matching (Karypis and Kumar, "A fast and high quality multilevel
 * scheme for partitioning irregular graphs", 1998): vertices visited in a seeded random order, each
 * unmatched one matched with the unmatched neighbour joined by the heaviest edge, so the heavy edges
 * disappear inside coarse vertices and can never be cut. An isolated vertex (an item no recent
 * transaction touched) is matched with the previous one, as METIS pairs them, so that a graph with
 * many still shrinks; a vertex whose neighbours are all taken stays single: pairing it with an
 * unrelated vertex (as this did before) glued together vertices that belong to different parts, and
 * on a skewed history left a third more transactions across parts. No coarse vertex may weigh
 * more than {@code maxVertexWeight}: heavier ones would make a balanced partition impossible. Two
 * vertices fixed to different parts are never matched; a coarse vertex is fixed where its fine ones are.
 * Given the parts of a partition already found ({@code side}), only vertices of the same part are
 * matched (a V-cycle's restricted coarsening), so that partition is also one of the coarse graph.
 */
final class Coarsen {
    /**
     * The coarse graph, for each fine vertex its coarse vertex, each coarse vertex's fixed part (-1:
     * free) and its part in the given partition (null if none was given).
     */
    record Level(Graph coarse, int[] map, int[] fixed, int[] side) {}

    private Coarsen() {}

    private static boolean isolated(Graph g, int u) {
        return g.xadj[u] == g.xadj[u + 1];
    }

    private static boolean compatible(int[] fixed, int[] side, int u, int v) {
        return (fixed[u] == -1 || fixed[v] == -1 || fixed[u] == fixed[v]) && (side == null || side[u] == side[v]);
    }

    static Level step(Graph g, long maxVertexWeight, Random rnd, int[] fixed) {
        return step(g, maxVertexWeight, rnd, fixed, null);
    }

    static Level step(Graph g, long maxVertexWeight, Random rnd, int[] fixed, int[] side) {
        int n = g.n;
        int[] match = new int[n];
        java.util.Arrays.fill(match, -1);
        int[] order = permutation(n, rnd);
        int leftover = -1;
        for (int u : order) {
            if (match[u] != -1) {
                continue;
            }
            int best = -1;
            int bestW = 0;
            for (int e = g.xadj[u]; e < g.xadj[u + 1]; e++) {
                int v = g.adj[e];
                if (match[v] == -1 && g.ewgt[e] > bestW && (long) g.vwgt[u] + g.vwgt[v] <= maxVertexWeight
                        && compatible(fixed, side, u, v)) {
                    best = v;
                    bestW = g.ewgt[e];
                }
            }
            if (best == -1 && leftover != -1 && match[leftover] == -1 && isolated(g, u)
                    && (long) g.vwgt[u] + g.vwgt[leftover] <= maxVertexWeight && compatible(fixed, side, u, leftover)) {
                best = leftover;
                leftover = -1;
            }
            if (best == -1) {
                if (isolated(g, u)) {
                    leftover = u;
                } // unmatched for now: a later vertex may still take it
            } else {
                match[u] = best;
                match[best] = u;
            }
        }
        for (int u = 0; u < n; u++) {
            if (match[u] == -1) {
                match[u] = u;
            }
        }
        int[] map = new int[n];
        int cn = 0;
        for (int u = 0; u < n; u++) {
            if (match[u] >= u) { // the smaller end names the pair (a lone vertex matches itself)
                map[u] = cn;
                if (match[u] != u) {
                    map[match[u]] = cn;
                }
                cn++;
            }
        }
        int[] cw = new int[cn];
        int[] cfixed = new int[cn];
        java.util.Arrays.fill(cfixed, -1);
        int[] cside = side == null ? null : new int[cn];
        for (int u = 0; u < n; u++) {
            cw[map[u]] += g.vwgt[u];
            cfixed[map[u]] = Math.max(cfixed[map[u]], fixed[u]);
            if (side != null) {
                cside[map[u]] = side[u];
            }
        }
        int m = g.adj.length;
        int[] us = new int[m];
        int[] vs = new int[m];
        int[] ws = new int[m];
        int k = 0;
        for (int u = 0; u < n; u++) {
            for (int e = g.xadj[u]; e < g.xadj[u + 1]; e++) {
                if (g.adj[e] > u) {
                    us[k] = map[u];
                    vs[k] = map[g.adj[e]];
                    ws[k++] = g.ewgt[e];
                }
            }
        }
        return new Level(Graph.of(cw, java.util.Arrays.copyOf(us, k), java.util.Arrays.copyOf(vs, k),
                java.util.Arrays.copyOf(ws, k)), map, cfixed, cside);
    }

    static int[] permutation(int n, Random rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
