package synod.nemesis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import synod.app.Op;
import synod.app.Result;

/**
 * Mutual exclusion of the lock service, by fencing token. A client holds a lock from the moment it
 * learns it was granted (an Acquired answer) until it invokes its Unlock. A grant of token t' > t
 * happens only after the holder of t was released, which is after that holder invoked its Unlock;
 * so for every two holds of a lock the one with the larger token must begin after the other ended,
 * and no two holds may share a token. A holder's re-lock must answer its own token, and its first
 * Unlock must not find it no longer holding. Indeterminate operations say nothing, except that a
 * client who timed out retries until it knows where it stands (the workload does).
 */
final class LockCheck {
    /** One hold: {@code end} is the holder's first Unlock invocation, {@link History#NEVER} if it never unlocked. */
    record Hold(String client, String lock, long token, long start, long end, History.Entry acquired) {}

    private LockCheck() {}

    /** The violations in {@code all} (lock operations only are looked at); empty if none. */
    static List<String> check(List<History.Entry> all) {
        List<String> violations = new ArrayList<>();
        List<Hold> holds = holds(all, violations);
        Map<String, List<Hold>> byLock = new TreeMap<>();
        holds.forEach(h -> byLock.computeIfAbsent(h.lock(), k -> new ArrayList<>()).add(h));
        for (List<Hold> hs : byLock.values()) {
            hs.sort(Comparator.comparingLong(Hold::token));
            for (int i = 1; i < hs.size(); i++) {
                Hold a = hs.get(i - 1);
                Hold b = hs.get(i);
                if (a.token() == b.token()) {
                    violations.add("two holds of " + a.lock() + " with token " + a.token() + ": " + a.acquired()
                            + " and " + b.acquired());
                } else if (b.start() <= a.end()) {
                    violations.add("holds of " + a.lock() + " overlap: " + a.client() + " held token " + a.token()
                            + " until " + (a.end() == History.NEVER ? "the end" : String.format("%.3f s", a.end() / 1e9))
                            + " but " + b.client() + " was granted token " + b.token() + " by " + b.acquired());
                }
            }
        }
        return violations;
    }

    /** Each client's holds, from its lock operations in invocation order. */
    static List<Hold> holds(List<History.Entry> all, List<String> violations) {
        Map<String, List<History.Entry>> byClientLock = new TreeMap<>();
        for (History.Entry e : all) {
            String lock = e.op() instanceof Op.Lock l ? l.lock() : e.op() instanceof Op.Unlock u ? u.lock() : null;
            if (lock != null) {
                byClientLock.computeIfAbsent(e.process() + "\u0000" + lock, k -> new ArrayList<>()).add(e);
            }
        }
        List<Hold> holds = new ArrayList<>();
        for (List<History.Entry> ops : byClientLock.values()) {
            ops.sort(Comparator.comparingLong(History.Entry::invoked));
            History.Entry acquired = null;
            long token = 0;
            long start = 0;
            boolean unlocking = false;
            for (History.Entry e : ops) {
                if (e.op() instanceof Op.Lock l && e.result() instanceof Result.Acquired a) {
                    if (acquired == null) {
                        acquired = e;
                        token = a.token();
                        start = e.completed();
                    } else if (!unlocking && a.token() != token) {
                        violations.add(e.process() + " holds " + l.lock() + " with token " + token + " but its re-lock "
                                + e + " answered another token");
                    }
                } else if (e.op() instanceof Op.Unlock u && acquired != null) {
                    if (!unlocking) {
                        unlocking = true;
                        holds.add(new Hold(e.process(), u.lock(), token, start, e.invoked(), acquired));
                        if (e.result() instanceof Result.NotHolder) {
                            violations.add(e.process() + " held " + u.lock() + " (token " + token + ", " + acquired
                                    + ") but its unlock " + e + " found it no longer the holder");
                        }
                    }
                    if (e.result() instanceof Result.Released || e.result() instanceof Result.NotHolder) {
                        acquired = null;
                        unlocking = false;
                    }
                }
            }
            if (acquired != null && !unlocking) {
                holds.add(new Hold(ops.get(0).process(), acquired.op() instanceof Op.Lock l ? l.lock() : "?", token,
                        start, History.NEVER, acquired));
            }
        }
        return holds;
    }
}
