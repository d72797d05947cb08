package synod.partition;

import java.util.Random;

/**
 * One coarsening step by heavy-edge matching (Karypis and Kumar, "A fast and high quality multilevel
 * scheme for partitioning irregular graphs", 1998): vertices visited in a seeded random order, each
 * unmatched one matched with the unmatched neighbour joined by the heaviest edge, so the heavy edges
 * disappear inside coarse vertices and can never be cut. A vertex with no eligible neighbour is
 * matched with the previous such vertex (as METIS pairs leftovers), so that a graph with many
 * isolated vertices (items no recent transaction touched) still shrinks. No coarse vertex may weigh
 * more than {@code maxVertexWeight}: heavier ones would make a balanced partition impossible. Two
 * vertices fixed to different parts are never matched; a coarse vertex is fixed where its fine ones are.
 */
final class Coarsen {
    /** The coarse graph, for each fine vertex its coarse vertex, and each coarse vertex's fixed part (-1: free). */
    record Level(Graph coarse, int[] map, int[] fixed) {}

    private Coarsen() {}

    private static boolean compatible(int[] fixed, int u, int v) {
        return fixed[u] == -1 || fixed[v] == -1 || fixed[u] == fixed[v];
    }

    static Level step(Graph g, long maxVertexWeight, Random rnd, int[] fixed) {
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
                        && compatible(fixed, u, v)) {
                    best = v;
                    bestW = g.ewgt[e];
                }
            }
            if (best == -1 && leftover != -1 && match[leftover] == -1
                    && (long) g.vwgt[u] + g.vwgt[leftover] <= maxVertexWeight && compatible(fixed, u, leftover)) {
                best = leftover;
                leftover = -1;
            }
            if (best == -1) {
                leftover = u; // unmatched for now: a later vertex may still take it
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
        for (int u = 0; u < n; u++) {
            cw[map[u]] += g.vwgt[u];
            cfixed[map[u]] = Math.max(cfixed[map[u]], fixed[u]);
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
                java.util.Arrays.copyOf(ws, k)), map, cfixed);
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
