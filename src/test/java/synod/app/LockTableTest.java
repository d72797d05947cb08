package synod.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import synod.app.StateMachine.Applied;
import synod.app.StateMachine.Notice;

/** Layer 1: the lock service's semantics (SPEC section 2), one op at a time. */
class LockTableTest {
    final LockTable t = new LockTable();

    Applied lock(String client, String lock) {
        return t.apply(client, new Op.Lock(lock));
    }

    Applied unlock(String client, String lock) {
        return t.apply(client, new Op.Unlock(lock));
    }

    static Applied acquired(String lock, long token) {
        return new Applied(new Result.Acquired(lock, token), List.of());
    }

    static Applied waiting(String lock) {
        return new Applied(new Result.Waiting(lock), List.of());
    }

    static Applied released(String lock) {
        return new Applied(new Result.Released(lock), List.of());
    }

    static Applied releasedTo(String lock, String next, long token) {
        return new Applied(new Result.Released(lock, next, token), List.of(new Notice(next, new Result.Acquired(lock, token))));
    }

    static Applied notHolder(String lock) {
        return new Applied(new Result.NotHolder(lock), List.of());
    }

    @Test
    void aFreeLockIsGrantedWithTokenOne() {
        assertEquals(acquired("x", 1), lock("a", "x"));
        assertEquals("a", t.holder("x"));
        assertEquals(1, t.lastToken("x"));
        assertNull(t.holder("y"));
        assertEquals(0, t.lastToken("y"));
    }

    @Test
    void waitersAreServedFirstComeFirstServedEachWithTheNextToken() {
        lock("a", "x");
        assertEquals(waiting("x"), lock("b", "x"));
        assertEquals(waiting("x"), lock("c", "x"));
        assertEquals(releasedTo("x", "b", 2), unlock("a", "x"));
        assertEquals("b", t.holder("x"));
        assertEquals(releasedTo("x", "c", 3), unlock("b", "x"));
        assertEquals(released("x"), unlock("c", "x"));
        assertNull(t.holder("x"));
    }

    @Test
    void reLockingByTheHolderKeepsTheLockAndItsToken() {
        lock("a", "x");
        lock("b", "x");
        assertEquals(acquired("x", 1), lock("a", "x"));
        assertEquals(acquired("x", 1), lock("a", "x"));
        // Re-locking did not queue the holder behind b: one unlock releases it.
        assertEquals(releasedTo("x", "b", 2), unlock("a", "x"));
        assertEquals(notHolder("x"), unlock("a", "x"));
    }

    @Test
    void reLockingByAWaiterKeepsItsPlace() {
        lock("a", "x");
        lock("b", "x");
        lock("c", "x");
        assertEquals(waiting("x"), lock("b", "x"));
        assertEquals(waiting("x"), lock("c", "x"));
        assertEquals(releasedTo("x", "b", 2), unlock("a", "x"));
        assertEquals(releasedTo("x", "c", 3), unlock("b", "x"));
        assertEquals(released("x"), unlock("c", "x"), "c was queued once, not twice");
    }

    @Test
    void onlyTheHolderMayUnlock() {
        assertEquals(notHolder("x"), unlock("a", "x"), "a lock never taken");
        lock("a", "x");
        lock("b", "x");
        assertEquals(notHolder("x"), unlock("b", "x"), "a waiter");
        assertEquals(notHolder("x"), unlock("c", "x"), "a stranger");
        assertEquals("a", t.holder("x"));
        assertEquals(releasedTo("x", "b", 2), unlock("a", "x"), "b is still first in line");
        assertEquals(notHolder("x"), unlock("a", "x"), "a former holder");
    }

    @Test
    void tokensStrictlyIncreasePerLockAcrossReleaseAndReGrant() {
        assertEquals(acquired("x", 1), lock("a", "x"));
        assertEquals(released("x"), unlock("a", "x"));
        assertEquals(acquired("x", 2), lock("b", "x"));
        assertEquals(released("x"), unlock("b", "x"));
        assertEquals(acquired("x", 3), lock("a", "x"));
        assertEquals(acquired("y", 1), lock("a", "y"), "each lock counts its own grants");
        assertEquals(3, t.lastToken("x"));
    }

    @Test
    void aSnapshotRestoresToIdenticalBehaviour() throws Exception {
        lock("a", "x");
        lock("b", "x");
        lock("c", "x");
        lock("b", "y");
        unlock("b", "y");
        lock("d", "z");
        JsonNode snap = t.snapshot();
        // Through text, as a checkpoint reaches the disk and comes back.
        ObjectMapper json = new ObjectMapper();
        LockTable copy = new LockTable();
        copy.restore(json.readTree(json.writeValueAsString(snap)));
        assertEquals(snap, copy.snapshot());

        List<String[]> ops = List.of(
                new String[] {"lock", "c", "x"}, new String[] {"unlock", "a", "x"}, new String[] {"lock", "a", "y"},
                new String[] {"unlock", "c", "x"}, new String[] {"unlock", "b", "x"}, new String[] {"lock", "e", "z"},
                new String[] {"unlock", "d", "z"}, new String[] {"unlock", "c", "x"}, new String[] {"lock", "a", "x"});
        for (String[] op : ops) {
            Op o = op[0].equals("lock") ? new Op.Lock(op[2]) : new Op.Unlock(op[2]);
            assertEquals(t.apply(op[1], o), copy.apply(op[1], o), String.join(" ", op));
        }
        assertEquals(t.snapshot(), copy.snapshot());
        assertEquals(4, copy.lastToken("x"));
        assertEquals("a", copy.holder("x"));
    }

    @Test
    void restoreReplacesTheWholeState() {
        LockTable other = new LockTable();
        other.apply("z", new Op.Lock("q"));
        lock("a", "x");
        other.restore(t.snapshot());
        assertNull(other.holder("q"));
        assertEquals(0, other.lastToken("q"));
        assertEquals("a", other.holder("x"));
    }
}
