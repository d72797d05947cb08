package synod.partition;

import java.util.Arrays;

/**
 * An undirected graph with vertex and edge weights, in compressed sparse rows (the layout METIS
 * uses): the neighbours of {@code u} are {@code adj[xadj[u] .. xadj[u+1])}, with the weights
 * {@code ewgt} at the same positions. No self-loops; parallel edges are summed when built.
 * Immutable once built.
 */
public final class Graph {
    final int n;
    final int[] vwgt;
    final int[] xadj;
    final int[] adj;
    final int[] ewgt;
    final long totalWeight;

    Graph(int[] vwgt, int[] xadj, int[] adj, int[] ewgt) {
        this.n = vwgt.length;
        this.vwgt = vwgt;
        this.xadj = xadj;
        this.adj = adj;
        this.ewgt = ewgt;
        long w = 0;
        for (int x : vwgt) {
            w += x;
        }
        this.totalWeight = w;
    }

    public int vertices() {
        return n;
    }

    public long totalWeight() {
        return totalWeight;
    }

    /** The total weight of the edges whose ends are in different parts. */
    public long cut(int[] part) {
        long cut = 0;
        for (int u = 0; u < n; u++) {
            for (int e = xadj[u]; e < xadj[u + 1]; e++) {
                if (adj[e] > u && part[adj[e]] != part[u]) {
                    cut += ewgt[e];
                }
            }
        }
        return cut;
    }

    /** The weight of each of the {@code k} parts. */
    public long[] partWeights(int[] part, int k) {
        long[] w = new long[k];
        for (int u = 0; u < n; u++) {
            w[part[u]] += vwgt[u];
        }
        return w;
    }

    /** Builds a graph of {@code n} vertices, weight 1 each unless set; edges added are summed per pair. */
    public static final class Builder {
        private final int[] vwgt;
        private int[] us = new int[16];
        private int[] vs = new int[16];
        private int[] ws = new int[16];
        private int m;

        public Builder(int n) {
            vwgt = new int[n];
            Arrays.fill(vwgt, 1);
        }

        public Builder weight(int u, int w) {
            if (w < 1) {
                throw new IllegalArgumentException("vertex weight " + w + " < 1");
            }
            vwgt[u] = w;
            return this;
        }

        /** Adds {@code w} to the edge {u, v}; a self-loop (u == v) is ignored: it can never be cut. */
        public Builder edge(int u, int v, int w) {
            if (u < 0 || v < 0 || u >= vwgt.length || v >= vwgt.length || w < 1) {
                throw new IllegalArgumentException("edge " + u + "-" + v + " of weight " + w + " on " + vwgt.length + " vertices");
            }
            if (u == v) {
                return this;
            }
            if (m == us.length) {
                us = Arrays.copyOf(us, 2 * m);
                vs = Arrays.copyOf(vs, 2 * m);
                ws = Arrays.copyOf(ws, 2 * m);
            }
            us[m] = u;
            vs[m] = v;
            ws[m] = w;
            m++;
            return this;
        }

        public Graph build() {
            return Graph.of(vwgt.clone(), Arrays.copyOf(us, m), Arrays.copyOf(vs, m), Arrays.copyOf(ws, m));
        }
    }

    /** The graph of edges (us[i], vs[i], ws[i]), parallel edges summed, self-loops dropped. */
    static Graph of(int[] vwgt, int[] us, int[] vs, int[] ws) {
        int n = vwgt.length;
        int[] deg = new int[n + 1];
        for (int i = 0; i < us.length; i++) {
            if (us[i] != vs[i]) {
                deg[us[i]]++;
                deg[vs[i]]++;
            }
        }
        int[] start = new int[n + 1];
        for (int u = 0; u < n; u++) {
            start[u + 1] = start[u] + deg[u];
        }
        int[] fill = Arrays.copyOf(start, n);
        int[] a = new int[start[n]];
        int[] w = new int[start[n]];
        for (int i = 0; i < us.length; i++) {
            if (us[i] != vs[i]) {
                a[fill[us[i]]] = vs[i];
                w[fill[us[i]]++] = ws[i];
                a[fill[vs[i]]] = us[i];
                w[fill[vs[i]]++] = ws[i];
            }
        }
        // merge parallel edges per vertex: a marker array gives each neighbour's slot
        int[] xadj = new int[n + 1];
        int[] adj = new int[a.length];
        int[] ewgt = new int[a.length];
        int[] slot = new int[n];
        Arrays.fill(slot, -1);
        int k = 0;
        for (int u = 0; u < n; u++) {
            xadj[u] = k;
            for (int e = start[u]; e < start[u + 1]; e++) {
                int v = a[e];
                if (slot[v] >= xadj[u]) {
                    ewgt[slot[v]] += w[e];
                } else {
                    slot[v] = k;
                    adj[k] = v;
                    ewgt[k++] = w[e];
                }
            }
        }
        xadj[n] = k;
        return new Graph(vwgt, xadj, Arrays.copyOf(adj, k), Arrays.copyOf(ewgt, k));
    }
}
