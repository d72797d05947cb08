package synod.partition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The resharding function of CSE535 Project 3 (section 1.4): from the recent transactions, a new
 * item-to-group mapping with fewer transactions across groups and groups of roughly equal size.
 * Every item is a vertex of weight 1 (so the groups stay within {@link Partitioner#IMBALANCE} of
 * an equal number of items); a transaction touching items a and b adds 1 to the edge a-b (one on
 * more items adds to every pair: its clique; a read of one item adds nothing), of weight
 * {@link #TXN_WEIGHT}. So that few items move, each group has an anchor, a vertex fixed to its part,
 * and every item an edge of weight 1 to its current group's anchor: moving an item costs 1, a
 * transaction across groups 4, and the partitioner minimises their sum, every group within
 * {@link #cap} items (a group may end anywhere within the bound, not at an equal share: an equal
 * share would move items for nothing).
 *
 * <p>Pure and deterministic: a function of its arguments.
 */
public final class Reshard {
    /** An item that moves from group {@code from} to group {@code to} (1-based). */
    public record Move(String item, int from, int to) {}

    /**
     * A transaction's weight in the graph against an item's tie to its current group (1): moving an
     * item that takes one transaction in four off the cut (of the last N) is worth it.
     */
    static final int TXN_WEIGHT = 4;

    private Reshard() {}

    /**
     * The moves that take {@code items} (every item, in the order moves are listed) from their
     * current groups ({@code groupOf}, 1..groups) to the new mapping of {@code history} (each entry
     * the items of one transaction).
     */
    public static List<Move> plan(List<String> items, ToIntFunction<String> groupOf, List<List<String>> history,
                                  int groups, long seed) {
        int n = items.size();
        Map<String, Integer> index = new HashMap<>();
        int[] current = new int[n];
        for (int i = 0; i < n; i++) {
            index.put(items.get(i), i);
            current[i] = groupOf.applyAsInt(items.get(i)) - 1;
            if (current[i] < 0 || current[i] >= groups) {
                throw new IllegalArgumentException(items.get(i) + " is in group " + (current[i] + 1) + " of " + groups);
            }
        }
        Graph.Builder b = new Graph.Builder(n + groups); // vertex n+g: group g's anchor
        for (List<String> t : history) {
            for (int x = 0; x < t.size(); x++) {
                Integer u = index.get(t.get(x));
                for (int y = x + 1; u != null && y < t.size(); y++) {
                    Integer v = index.get(t.get(y));
                    if (v != null && !v.equals(u)) {
                        b.edge(u, v, TXN_WEIGHT);
                    }
                }
            }
        }
        int[] fixed = new int[n + groups];
        java.util.Arrays.fill(fixed, -1);
        for (int g = 0; g < groups; g++) {
            fixed[n + g] = g;
        }
        for (int i = 0; i < n; i++) {
            b.edge(i, n + current[i], 1);
        }
        int[] part = Partitioner.partition(b.build(), groups, Partitioner.IMBALANCE, seed, fixed);
        List<Move> moves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (part[i] != current[i]) {
                moves.add(new Move(items.get(i), current[i] + 1, part[i] + 1));
            }
        }
        return moves;
    }

    /**
     * The most items a group holds after resharding: the partitioner's bound on the items and the
     * anchors, less the group's anchor (3% above an equal share, as {@link Partitioner#cap}).
     */
    public static long cap(int items, int groups) {
        return Partitioner.cap(items + groups, groups, Partitioner.IMBALANCE) - 1;
    }
}
