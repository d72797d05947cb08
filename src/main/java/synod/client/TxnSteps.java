package synod.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import synod.txn.TxnCheck;
import synod.txn.TxnOp;

/**
 * The words of a key-value transaction, as a script's {@code Txn} and {@code bin/client}'s
 * {@code txn} take them: {@code put K V}, {@code del K}, {@code expect K V}, {@code expect K absent}
 * (step words in any case), 1 to 64 steps; a key is written at most once and guarded at most once
 * (every guard is evaluated before any write, so {@code expect K 1 put K 2} is a compare-and-set).
 */
public final class TxnSteps {
    /** The words a step starts with. */
    public static final Set<String> STEP_WORDS = Set.of("put", "del", "delete", "expect");

    private TxnSteps() {}

    /** The steps {@code words} spell; an IllegalArgumentException says what is wrong with them. */
    public static List<TxnOp> parse(List<String> words) {
        List<TxnOp> steps = new ArrayList<>();
        Set<String> written = new TreeSet<>();
        Set<String> guarded = new TreeSet<>();
        for (int i = 0; i < words.size(); ) {
            String kind = words.get(i).toLowerCase(Locale.ROOT);
            if (!STEP_WORDS.contains(kind)) {
                throw new IllegalArgumentException("'" + words.get(i) + "' is not a step (put K V, del K, expect K V,"
                        + " expect K absent)");
            }
            boolean guard = kind.equals("expect");
            int args = kind.startsWith("del") ? 1 : 2;
            if (i + args >= words.size()) {
                throw new IllegalArgumentException(kind + " needs " + args + " argument(s)");
            }
            String key = words.get(i + 1);
            if (!(guard ? guarded : written).add(key)) {
                throw new IllegalArgumentException("key " + key + " is " + (guard ? "guarded" : "written") + " twice");
            }
            String arg = args == 2 ? words.get(i + 2) : null;
            steps.add(kind.equals("put") ? new TxnOp.Put(key, arg)
                    : guard && arg.equals("absent") ? new TxnOp.ExpectAbsent(key)
                    : guard ? new TxnOp.Expect(key, arg) : new TxnOp.Delete(key));
            i += args + 1;
        }
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a transaction needs at least one step (put K V, del K, expect K V,"
                    + " expect K absent)");
        }
        if (steps.size() > TxnCheck.WRITES_MAX) {
            throw new IllegalArgumentException("a transaction takes at most " + TxnCheck.WRITES_MAX + " steps, got "
                    + steps.size());
        }
        return List.copyOf(steps);
    }
}
