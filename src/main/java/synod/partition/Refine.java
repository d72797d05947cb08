package synod.partition;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Refinement of a k-way partition in place: {@link #rebalance} moves vertices out of parts heavier
 * than the cap, {@link #fm} runs Fiduccia-Mattheyses passes (Fiduccia and Mattheyses, "A linear-time
 * heuristic for improving network partitions", 1982, in its k-way form): repeatedly the unlocked
 * boundary vertex whose move gains the most (cut weight removed, possibly negative) moves to the
 * part it is most connected to and is locked for the pass; the pass ends after a run of moves
 * without a new best, and the moves after the best prefix are undone. A move may take a part above
 * the cap by up to the heaviest vertex (else, with little slack, nothing could move: a part at the
 * cap could only give, never take), but only a prefix that leaves the parts no further above the
 * cap in total than the pass found them can be the best. So a pass never leaves the cut worse nor
 * the balance worse than it found them (the empty prefix is a candidate).
 */
final class Refine {
    private static final int MAX_PASSES = 10;
    /** A pass gives up after this many moves (or a tenth of the vertices, if more) without a new best cut. */
    private static final int PATIENCE = 50;

    private final Graph g;
    private final int k;
    private final int[] part;
    private final long[] pw;
    private final long cap;
    /**
     * Each vertex's edge weight towards each part, {@code conn[u * k + p]}, kept up to date as
     * vertices move: recomputing it at every push cost O(degree) per neighbour of a moved vertex,
     * quadratic in the degree of the hot items of a skewed history.
     */
    private final int[] conn;
    /** How far above the cap a move may take a part within a pass: the heaviest vertex. */
    private final long slack;

    /** Vertices that never move (fixed to their part). */
    private final int[] fixed;

    Refine(Graph g, int k, int[] part, long cap) {
        this(g, k, part, cap, null);
    }

    /** {@code fixed[u] >= 0}: u stays in its part (null: every vertex may move). */
    Refine(Graph g, int k, int[] part, long cap, int[] fixed) {
        this.fixed = fixed;
        this.g = g;
        this.k = k;
        this.part = part;
        this.pw = g.partWeights(part, k);
        this.cap = cap;
        this.conn = new int[g.n * k];
        for (int u = 0; u < g.n; u++) {
            for (int e = g.xadj[u]; e < g.xadj[u + 1]; e++) {
                conn[u * k + part[g.adj[e]]] += g.ewgt[e];
            }
        }
        long heaviest = 0;
        for (int w : g.vwgt) {
            heaviest = Math.max(heaviest, w);
        }
        this.slack = heaviest;
    }

    private boolean frozen(int u) {
        return fixed != null && fixed[u] >= 0;
    }

    /** The parts' total weight above the cap. */
    private long over() {
        long over = 0;
        for (long w : pw) {
            over += Math.max(0, w - cap);
        }
        return over;
    }

    /** u's edge weight towards part q. */
    private int conn(int u, int q) {
        return conn[u * k + q];
    }

    private void move(int u, int to) {
        int from = part[u];
        pw[from] -= g.vwgt[u];
        pw[to] += g.vwgt[u];
        part[u] = to;
        for (int e = g.xadj[u]; e < g.xadj[u + 1]; e++) {
            int v = g.adj[e];
            conn[v * k + from] -= g.ewgt[e];
            conn[v * k + to] += g.ewgt[e];
        }
    }

    /**
     * Moves vertices out of every part above the cap, each time the move (vertex of the heaviest
     * part, to a part it fits in) that costs the least cut, until every part fits or nothing can move.
     */
    void rebalance() {
        while (true) {
            int p = 0;
            for (int q = 1; q < k; q++) {
                if (pw[q] > pw[p]) {
                    p = q;
                }
            }
            if (pw[p] <= cap) {
                return;
            }
            int bestU = -1;
            int bestTo = -1;
            long bestGain = Long.MIN_VALUE;
            for (int u = 0; u < g.n; u++) {
                if (part[u] != p || frozen(u)) {
                    continue;
                }
                for (int q = 0; q < k; q++) {
                    if (q != p && pw[q] + g.vwgt[u] <= cap) {
                        long gain = conn(u, q) - conn(u, p);
                        if (gain > bestGain || (gain == bestGain && pw[q] < pw[bestTo])) {
                            bestGain = gain;
                            bestU = u;
                            bestTo = q;
                        }
                    }
                }
            }
            if (bestU == -1) {
                return; // nothing fits elsewhere: the best this level can do
            }
            move(bestU, bestTo);
        }
    }

    /** FM passes until one finds nothing better; returns the total cut removed (never negative). */
    long fm() {
        long total = 0;
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            long gained = pass();
            total += gained;
            if (gained <= 0) {
                break;
            }
        }
        return total;
    }

    /** A candidate move: u to part {@code to} gaining {@code gain}, valid while u's stamp is {@code stamp}. */
    private record Move(long gain, int u, int to, int stamp) {}

    private long pass() {
        int[] stamp = new int[g.n];
        boolean[] locked = new boolean[g.n];
        PriorityQueue<Move> heap = new PriorityQueue<>((a, b) -> a.gain != b.gain ? Long.compare(b.gain, a.gain)
                : Integer.compare(a.u, b.u));
        for (int u = 0; u < g.n; u++) {
            push(heap, u, stamp);
        }
        List<int[]> moves = new ArrayList<>(); // {u, from}
        long sum = 0;
        long best = 0;
        int bestAt = 0;
        long startOver = over();
        int patience = Math.max(PATIENCE, g.n / 10);
        while (!heap.isEmpty() && moves.size() - bestAt < patience) {
            Move m = heap.poll();
            if (locked[m.u] || m.stamp != stamp[m.u]) {
                continue;
            }
            if (pw[m.to] + g.vwgt[m.u] > cap + slack) {
                stamp[m.u]++;
                push(heap, m.u, stamp); // the part it wanted filled up: its best move that fits now
                continue;
            }
            int from = part[m.u];
            move(m.u, m.to);
            locked[m.u] = true;
            moves.add(new int[] {m.u, from});
            sum += m.gain;
            if (sum > best && over() <= startOver) {
                best = sum;
                bestAt = moves.size();
            }
            for (int e = g.xadj[m.u]; e < g.xadj[m.u + 1]; e++) {
                int v = g.adj[e];
                if (!locked[v]) {
                    stamp[v]++;
                    push(heap, v, stamp);
                }
            }
        }
        for (int i = moves.size() - 1; i >= bestAt; i--) {
            move(moves.get(i)[0], moves.get(i)[1]);
        }
        return best;
    }

    /** Pushes u's best move to a part it is connected to and fits in (with the slack), if it is on the boundary. */
    private void push(PriorityQueue<Move> heap, int u, int[] stamp) {
        if (frozen(u)) {
            return;
        }
        int a = part[u];
        int to = -1;
        for (int q = 0; q < k; q++) {
            if (q != a && conn(u, q) > 0 && pw[q] + g.vwgt[u] <= cap + slack && (to == -1 || conn(u, q) > conn(u, to))) {
                to = q;
            }
        }
        if (to != -1) {
            heap.add(new Move((long) conn(u, to) - conn(u, a), u, to, stamp[u]));
        }
    }
}
