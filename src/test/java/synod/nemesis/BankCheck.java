package synod.nemesis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import synod.app.Op;
import synod.app.Result;

/**
 * The bank's invariants over a history: no balance read is negative; at the end (read when the
 * cluster is quiet) the money is all there and no account is negative; and the final balances are
 * exactly the opening ones moved by every transfer acknowledged as Committed plus some subset of
 * the indeterminate ones (an acknowledged transfer lost, or one applied twice, shows here). An
 * Insufficient or Aborted transfer moved nothing.
 */
final class BankCheck {
    /** Subsets of indeterminate transfers the last check may try before it says it could not decide. */
    static final long SEARCH_STEPS_MAX = 1L << 26;

    private BankCheck() {}

    static List<String> check(Map<String, Long> opening, List<History.Entry> all, Map<String, Long> closing) {
        List<String> violations = new ArrayList<>();
        List<String> accounts = new ArrayList<>(new TreeMap<>(opening).keySet());
        long[] delta = new long[accounts.size()];
        List<long[]> maybe = new ArrayList<>();
        List<History.Entry> maybeEntries = new ArrayList<>();
        for (History.Entry e : all) {
            if (e.result() instanceof Result.Amount a && a.balance() < 0) {
                violations.add("a negative balance was read: " + e);
            }
            if (e.op() instanceof Op.Transfer t) {
                int from = accounts.indexOf(t.from());
                int to = accounts.indexOf(t.to());
                if (from < 0 || to < 0) {
                    continue; // a transfer the bank refuses (an unknown account): it moves nothing
                }
                if (e.result() instanceof Result.Committed) {
                    delta[from] += t.amount();
                    delta[to] -= t.amount();
                } else if (e.indeterminate()) {
                    long[] v = new long[accounts.size()];
                    v[from] -= t.amount();
                    v[to] += t.amount();
                    maybe.add(v);
                    maybeEntries.add(e);
                }
            }
        }
        long open = opening.values().stream().mapToLong(Long::longValue).sum();
        long close = 0;
        for (int i = 0; i < accounts.size(); i++) {
            Long b = closing.get(accounts.get(i));
            if (b == null) {
                violations.add("no closing balance for " + accounts.get(i));
                return violations;
            }
            close += b;
            if (b < 0) {
                violations.add("account " + accounts.get(i) + " closed negative: " + b);
            }
            // what the indeterminate transfers must explain: closing - opening + committed
            delta[i] += b - opening.get(accounts.get(i));
        }
        if (close != open) {
            violations.add("money is not conserved: opened with " + open + ", closed with " + close);
        }
        long[] steps = {0};
        Boolean explained = explain(delta, maybe, 0, steps);
        if (explained == null) {
            violations.add("undecided: " + maybe.size() + " indeterminate transfers are too many to search for the "
                    + "subset that explains the closing balances (not counted as a violation)");
        } else if (!explained) {
            violations.add("the closing balances " + closing + " are not the opening ones " + opening + " moved by the "
                    + "committed transfers and any subset of the " + maybe.size() + " indeterminate ones "
                    + maybeEntries);
        }
        return violations;
    }

    /** Whether some subset of {@code maybe[i..]} sums to {@code need}; null if the search ran too long. */
    private static Boolean explain(long[] need, List<long[]> maybe, int i, long[] steps) {
        if (++steps[0] > SEARCH_STEPS_MAX) {
            return null;
        }
        if (i == maybe.size()) {
            for (long n : need) {
                if (n != 0) {
                    return false;
                }
            }
            return true;
        }
        Boolean without = explain(need, maybe, i + 1, steps);
        if (without == null || without) {
            return without;
        }
        long[] v = maybe.get(i);
        long[] rest = need.clone();
        for (int k = 0; k < rest.length; k++) {
            rest[k] -= v[k];
        }
        return explain(rest, maybe, i + 1, steps);
    }

    /** Whether a violation list holds only the note that the last check was undecided. */
    static boolean onlyUndecided(List<String> violations) {
        return violations.stream().allMatch(v -> v.startsWith("undecided: "));
    }
}
