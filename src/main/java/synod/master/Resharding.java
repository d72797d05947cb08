package synod.master;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.ToIntFunction;
import synod.partition.Reshard;

/**
 * {@code PrintReshard} at the CSE535 prompt and in scripts: the last {@link #HISTORY} transfers the
 * master sent (each as submitted, whatever its outcome: the access pattern is what matters) are
 * partitioned by {@link Reshard}, and every item the new mapping puts in another group is printed
 * as {@code (ITEM, cFROM, cTO)}, in item order.
 *
 * <p>The items are not moved yet: the placement the groups hold stays as it is (moving an item is a
 * two-phase commit between its two groups, still to be built), and a warning says so.
 */
final class Resharding {
    /** How many of the most recent transfers the graph is built from. */
    static final int HISTORY = 10_000;
    private final Deque<List<String>> history = new ArrayDeque<>();
    private final long seed;

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

    /** Prints the moves for {@code items} (in print order) now in {@code groupOf}'s groups 1..{@code groups}. */
    void print(List<String> items, ToIntFunction<String> groupOf, int groups, PrintStream out,
               BankRunner.Diagnostics diag, int line) {
        if (groups < 2) {
            diag.error(line, "PrintReshard needs a sharded cluster (StartCluster G R with G > 1)");
            return;
        }
        List<List<String>> recent;
        synchronized (this) {
            recent = new ArrayList<>(history);
        }
        for (Reshard.Move m : Reshard.plan(items, groupOf, recent, groups, seed)) {
            out.println(triplet(m));
        }
        diag.warning(line, "PrintReshard prints the new mapping's moves but does not move the items yet:"
                + " every group keeps its items");
    }

    /** A move as SPEC section 3 prints it: {@code (2007, c1, c2)}. */
    static String triplet(Reshard.Move m) {
        return "(" + m.item() + ", c" + m.from() + ", c" + m.to() + ")";
    }
}
