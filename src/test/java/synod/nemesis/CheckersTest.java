package synod.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import synod.app.Op;
import synod.app.Result;

/**
 * The nemesis's checkers on histories made by hand: each must accept what a correct service can
 * produce (concurrent operations in any order they may take effect, indeterminate ones that did or
 * did not) and reject what it cannot (a stale read, a value never written, a lost acknowledged
 * transfer, money made or lost, two holders of a lock), so that a run reporting no violation means
 * something.
 */
class CheckersTest {
    static final Result OK = new Result.Ok();
    private final List<History.Entry> h = new ArrayList<>();

    /** An operation by {@code p}, invoked at {@code from} and answered at {@code to} (null result: timed out). */
    CheckersTest op(String p, Op op, long from, long to, Result r) {
        h.add(History.entry(h.size(), p, op, from, to, r));
        return this;
    }

    static Op put(String v) {
        return new Op.Put("k", v);
    }

    static final Op GET = new Op.Get("k");

    static Result val(String v) {
        return new Result.Value("k", v);
    }

    boolean linearizable() {
        return Linearizability.checkKv(h).ok();
    }

    @Test
    void linearizabilityAcceptsWhatARegisterCanDo() {
        assertTrue(op("a", put("1"), 0, 1, OK).op("a", GET, 2, 3, val("1")).op("b", put("2"), 4, 5, OK)
                .op("b", GET, 6, 7, val("2")).linearizable(), "sequential");
        h.clear();
        // a read overlapping a write may see the old value or the new one
        assertTrue(op("a", put("1"), 0, 1, OK).op("b", put("2"), 2, 10, OK).op("c", GET, 3, 4, val("1"))
                .op("d", GET, 5, 6, val("2")).op("e", GET, 7, 11, val("2")).linearizable(), "overlapping");
        h.clear();
        assertTrue(op("a", GET, 0, 5, new Result.NotFound("k")).op("b", put("1"), 1, 2, OK).linearizable(),
                "a read invoked before a write may see nothing yet");
        h.clear();
        assertTrue(op("a", put("1"), 0, 1, OK).op("b", put("2"), 2, 3, null).op("c", GET, 4, 5, val("1"))
                .op("c", GET, 6, 7, val("2")).op("c", GET, 8, 9, val("2")).linearizable(),
                "an indeterminate write may take effect late");
        h.clear();
        assertTrue(op("a", put("1"), 0, 1, OK).op("b", put("2"), 2, 3, null).op("c", GET, 40, 50, val("1"))
                .linearizable(), "an indeterminate write may never take effect");
        h.clear();
        assertTrue(op("a", put("1"), 0, 1, OK).op("a", new Op.Delete("k"), 2, 3, OK)
                .op("b", GET, 4, 5, new Result.NotFound("k")).op("b", new Op.Delete("k"), 6, 7, new Result.NotFound("k"))
                .op("c", new Op.Put("other", "x"), 0, 9, OK).op("c", new Op.Get("other"), 10, 11, new Result.Value("other", "x"))
                .linearizable(), "deletes, and another key");
    }

    @Test
    void linearizabilityRejectsWhatNoRegisterCanDo() {
        assertFalse(op("a", put("1"), 0, 1, OK).op("a", put("2"), 2, 3, OK).op("b", GET, 4, 5, val("1"))
                .linearizable(), "a stale read");
        h.clear();
        assertFalse(op("a", put("1"), 0, 1, OK).op("b", GET, 2, 3, val("9")).linearizable(), "a value never written");
        h.clear();
        assertFalse(op("a", put("1"), 0, 1, OK).op("b", put("2"), 2, 10, OK).op("c", GET, 3, 4, val("2"))
                .op("d", GET, 5, 6, val("1")).linearizable(), "the new value seen, then the old one again");
        h.clear();
        assertFalse(op("a", put("1"), 0, 1, null).op("b", GET, 2, 3, val("1")).op("b", GET, 4, 5, new Result.NotFound("k"))
                .linearizable(), "an indeterminate write seen, then unseen");
        h.clear();
        assertFalse(op("a", put("1"), 0, 1, OK).op("b", new Op.Delete("k"), 2, 3, new Result.NotFound("k"))
                .linearizable(), "a delete that did not find a key that was there");
        h.clear();
        op("a", new Op.Put("fine", "x"), 0, 1, OK).op("a", new Op.Get("fine"), 2, 3, new Result.Value("fine", "x"));
        op("a", new Op.Put("bad", "x"), 0, 1, OK).op("a", new Op.Get("bad"), 2, 3, new Result.NotFound("bad"));
        Linearizability.Verdict v = Linearizability.checkKv(h);
        assertEquals("bad", v.key(), "the verdict names the key");
        assertEquals(2, v.history().size());
    }

    /**
     * A long history of a real register under five concurrent clients (each operation's interval
     * drawn around the moment it took effect) is accepted, and quickly: the memoisation at work. The
     * same with one read changed to a value the register did not hold then is rejected.
     */
    @Test
    void linearizabilityOnLongConcurrentHistories() {
        Random r = new Random(7);
        String value = null;
        long[] free = new long[5];
        List<History.Entry> ops = new ArrayList<>();
        for (int t = 0, i = 0; i < 3000; t += 10, i++) {
            int c = r.nextInt(5);
            if (free[c] > t) {
                continue; // that client is still busy: its operation must contain the moment it takes effect
            }
            long from = Math.max(free[c], t - r.nextInt(40));
            long to = t + 1 + r.nextInt(40);
            free[c] = to + 1;
            Op op;
            Result res;
            if (r.nextBoolean()) {
                value = "v" + i;
                op = put(value);
                res = r.nextInt(20) == 0 ? null : OK;
            } else {
                op = GET;
                res = value == null ? new Result.NotFound("k") : val(value);
            }
            ops.add(History.entry(i, "c" + c, op, from, to, res));
        }
        long t0 = System.nanoTime();
        assertTrue(Linearizability.linearizable(ops));
        assertTrue(System.nanoTime() - t0 < 20_000_000_000L, "the search did not finish quickly");
        for (int i = 200; i < ops.size(); i++) {
            History.Entry e = ops.get(i);
            if (e.op() instanceof Op.Get && e.result() instanceof Result.Value v && !v.value().equals("v0")) {
                ops.set(i, History.entry(i, e.process(), e.op(), e.invoked(), e.completed(), val("v0")));
                break;
            }
        }
        assertFalse(Linearizability.linearizable(ops), "a read of the first value, long overwritten");
    }

    static Op transfer(String from, String to, long amount) {
        return new Op.Transfer(from, to, amount);
    }

    static final Map<String, Long> OPENING = Map.of("1", 100L, "2", 100L);
    static final Result COMMITTED = new Result.Committed();

    List<String> bank(Map<String, Long> closing) {
        return BankCheck.check(OPENING, h, closing);
    }

    @Test
    void bankAcceptsCommittedAndIndeterminateTransfers() {
        op("a", transfer("1", "2", 30), 0, 1, COMMITTED).op("a", transfer("2", "1", 500), 2, 3, new Result.Insufficient())
                .op("b", new Op.Balance("1"), 4, 5, new Result.Amount("1", 70));
        assertEquals(List.of(), bank(Map.of("1", 70L, "2", 130L)));
        op("a", transfer("2", "1", 5), 6, 7, null).op("b", transfer("1", "2", 7), 6, 7, null);
        assertEquals(List.of(), bank(Map.of("1", 70L, "2", 130L)), "neither indeterminate transfer took effect");
        assertEquals(List.of(), bank(Map.of("1", 75L, "2", 125L)), "one did");
        assertEquals(List.of(), bank(Map.of("1", 68L, "2", 132L)), "both did");
    }

    @Test
    void bankRejectsLostOrInventedMoney() {
        op("a", transfer("1", "2", 30), 0, 1, COMMITTED).op("b", transfer("2", "1", 5), 2, 3, null);
        assertTrue(bank(Map.of("1", 100L, "2", 100L)).stream().anyMatch(v -> v.contains("not the opening ones")),
                "an acknowledged transfer lost");
        assertTrue(bank(Map.of("1", 40L, "2", 160L)).stream().anyMatch(v -> v.contains("not the opening ones")),
                "a transfer applied twice");
        assertTrue(bank(Map.of("1", 70L, "2", 100L)).stream().anyMatch(v -> v.contains("not conserved")), "money lost");
        op("c", new Op.Balance("2"), 4, 5, new Result.Amount("2", -1));
        assertTrue(bank(Map.of("1", 70L, "2", 130L)).stream().anyMatch(v -> v.contains("negative balance was read")));
        assertTrue(bank(Map.of("1", 70L)).stream().anyMatch(v -> v.contains("no closing balance")));
    }

    static Result acquired(long token) {
        return new Result.Acquired("L", token);
    }

    static final Op LOCK = new Op.Lock("L");
    static final Op UNLOCK = new Op.Unlock("L");

    boolean locksViolated(Predicate<String> what) {
        List<String> v = LockCheck.check(h);
        return !v.isEmpty() && v.stream().anyMatch(what);
    }

    @Test
    void locksAcceptHoldsInTokenOrder() {
        op("a", LOCK, 0, 1, acquired(1)).op("b", LOCK, 0, 2, new Result.Waiting("L")).op("a", LOCK, 2, 3, acquired(1))
                .op("a", UNLOCK, 4, 5, null).op("a", UNLOCK, 6, 7, new Result.NotHolder("L"))
                .op("b", LOCK, 8, 9, acquired(2)).op("b", UNLOCK, 10, 11, new Result.Released("L"))
                .op("a", LOCK, 12, 13, acquired(3));
        assertEquals(List.of(), LockCheck.check(h));
    }

    @Test
    void locksRejectTwoHolders() {
        op("a", LOCK, 0, 1, acquired(1)).op("b", LOCK, 2, 3, acquired(2)).op("a", UNLOCK, 4, 5, new Result.Released("L"));
        assertTrue(locksViolated(v -> v.contains("overlap")), "b granted before a unlocked");
        h.clear();
        op("a", LOCK, 0, 1, acquired(1)).op("a", UNLOCK, 2, 3, new Result.Released("L")).op("b", LOCK, 4, 5, acquired(1));
        assertTrue(locksViolated(v -> v.contains("two holds of L with token 1")), "a token granted twice");
        h.clear();
        op("a", LOCK, 0, 1, acquired(1)).op("a", UNLOCK, 2, 3, new Result.NotHolder("L"));
        assertTrue(locksViolated(v -> v.contains("no longer the holder")), "a lock lost");
        h.clear();
        op("a", LOCK, 0, 1, acquired(1)).op("b", LOCK, 50, 51, acquired(2));
        assertTrue(locksViolated(v -> v.contains("until the end")), "a never unlocked, b granted anyway");
        h.clear();
        op("a", LOCK, 0, 1, acquired(1)).op("a", LOCK, 2, 3, acquired(4));
        assertTrue(locksViolated(v -> v.contains("re-lock")), "a holder's re-lock answered another token");
    }
}
