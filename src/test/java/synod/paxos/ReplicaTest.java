package synod.paxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import synod.app.LockTable;
import synod.app.Op;
import synod.app.Result;
import synod.core.Envelope;
import synod.core.Output;

/** Layer 1: the replica applies decided slots in order, once per request, and checkpoints. */
class ReplicaTest {
    final LockTable locks = new LockTable();
    final Replica r = new Replica(locks);

    static Request lock(String client, long seq, String lock) {
        return new Request(client, seq, new Op.Lock(lock));
    }

    static Request unlock(String client, long seq, String lock) {
        return new Request(client, seq, new Op.Unlock(lock));
    }

    static Value v(Request... requests) {
        return new Value(List.of(requests));
    }

    static PaxosMsg.ClientReply reply(String client, long seq, Result result) {
        return new PaxosMsg.ClientReply(client, seq, result, "n1");
    }

    Output decide(long slot, Value value) {
        Output out = new Output();
        r.onDecide(slot, value, "n1", out);
        return out;
    }

    @Test
    void decidesLearnedOutOfOrderAreAppliedInSlotOrder() {
        r.attach("a", "ca");
        r.attach("b", "cb");
        Output early = decide(1, v(lock("b", 1, "x")));
        assertTrue(early.sends().isEmpty(), "slot 1 waits for slot 0");
        assertEquals(0, r.slotOut());
        assertTrue(r.knowsDecided(1));
        assertFalse(r.knowsDecided(0));
        Output out = decide(0, v(lock("a", 1, "x")));
        assertEquals(2, r.slotOut());
        // a locked first because slot 0 comes first, whatever order the decides arrived in.
        assertEquals(List.of(new Envelope("ca", reply("a", 1, new Result.Acquired("x", 1))),
                new Envelope("cb", reply("b", 1, new Result.Waiting("x")))), out.sends());
        assertEquals("a", locks.holder("x"));
    }

    @Test
    void aRequestDecidedTwiceIsExecutedOnce() {
        r.attach("a", "ca");
        decide(0, v(lock("a", 1, "x")));
        decide(1, v(unlock("a", 2, "x")));
        Output dup = decide(2, v(lock("a", 1, "x"), unlock("a", 2, "x")));
        assertTrue(dup.sends().isEmpty(), "retries decided again are neither executed nor answered");
        assertEquals(3, r.slotOut());
        assertNull(locks.holder("x"), "the retried lock was not executed again");
        assertEquals(1, locks.lastToken("x"));
        assertEquals(new Replica.Executed(2, new Result.Released("x")), r.executed("a"));
    }

    @Test
    void aDecideBelowSlotOutIsIgnored() {
        decide(0, v(lock("a", 1, "x")));
        assertTrue(decide(0, v(lock("b", 1, "x"))).sends().isEmpty());
        assertEquals("a", locks.holder("x"));
    }

    @Test
    void aNoopSlotAppliesNothing() {
        decide(0, Value.NOOP);
        decide(1, v(lock("a", 1, "x")));
        assertEquals(2, r.slotOut());
        assertEquals(1, locks.lastToken("x"));
    }

    @Test
    void repliesAndNoticesGoOnlyToClientsAttachedHere() {
        r.attach("b", "cb");
        Output first = decide(0, v(lock("a", 1, "x"), lock("b", 1, "x")));
        assertEquals(List.of(new Envelope("cb", reply("b", 1, new Result.Waiting("x")))), first.sends());
        Output grant = decide(1, v(unlock("a", 2, "x")));
        assertEquals(List.of(new Envelope("cb", new PaxosMsg.Notice("b", new Result.Acquired("x", 2)))), grant.sends());
    }

    @Test
    void aReplyNamesTheLeaderForRedirects() {
        r.attach("a", "ca");
        Output out = new Output();
        r.onDecide(0, v(lock("a", 1, "x")), "n3", out);
        assertEquals(new PaxosMsg.ClientReply("a", 1, new Result.Acquired("x", 1), "n3"), out.sends().get(0).message());
    }

    @Test
    void checkpointsEveryNAppliedSlotsAndDropsTheDecidedValuesBelow() {
        decide(0, v(lock("a", 1, "x")));
        decide(1, v(lock("b", 1, "x")));
        assertNull(r.maybeCheckpoint(3));
        decide(2, v(unlock("a", 2, "x")));
        Durable.Checkpoint c = r.maybeCheckpoint(3);
        assertNotNull(c);
        assertEquals(3, c.slot());
        assertEquals(locks.snapshot(), c.state());
        assertEquals(3, r.checkpointSlot());
        assertNull(r.decidedValue(2), "checkpointed away");
        assertTrue(r.knowsDecided(2));
        assertNull(r.maybeCheckpoint(3), "nothing new since");
        assertNull(r.maybeCheckpoint(0), "0 turns checkpoints off");
    }

    @Test
    void catchUpWithoutACheckpointSendsContiguousDecidedSlots() {
        for (long s = 0; s < 5; s++) {
            decide(s, v(lock("a", s + 1, "x" + s)));
        }
        decide(6, Value.NOOP); // beyond a hole: not contiguous, not sent
        PaxosMsg.CatchUpReply all = r.catchUp(2, 10);
        assertEquals(new PaxosMsg.CatchUpReply(2, List.of(
                new PValue(Ballot.ZERO, 2, v(lock("a", 3, "x2"))),
                new PValue(Ballot.ZERO, 3, v(lock("a", 4, "x3"))),
                new PValue(Ballot.ZERO, 4, v(lock("a", 5, "x4")))), 0, null), all);
        assertEquals(2, r.catchUp(0, 2).decided().size(), "at most max slots");
        assertEquals(List.of(), r.catchUp(5, 10).decided());
    }

    @Test
    void catchUpFromBelowTheCheckpointSendsTheCheckpointFirst() {
        for (long s = 0; s < 3; s++) {
            decide(s, v(lock("c" + s, 1, "x")));
        }
        r.maybeCheckpoint(3);
        decide(3, v(lock("c3", 1, "x")));
        PaxosMsg.CatchUpReply reply = r.catchUp(1, 10);
        assertEquals(3, reply.fromSlot());
        assertEquals(3, reply.checkpointSlot());
        assertNotNull(reply.checkpoint());
        assertEquals(List.of(new PValue(Ballot.ZERO, 3, v(lock("c3", 1, "x")))), reply.decided());
        assertNull(r.catchUp(3, 10).checkpoint(), "a peer at the checkpoint needs no checkpoint");
    }

    @Test
    void installBringsALaggingReplicaToThePeersStateAndIgnoresOlderOnes() {
        for (long s = 0; s < 4; s++) {
            decide(s, v(lock("c" + s, 1, "x")));
        }
        decide(4, v(unlock("c0", 2, "x")));
        r.maybeCheckpoint(4);
        PaxosMsg.CatchUpReply reply = r.catchUp(0, 10);

        LockTable theirs = new LockTable();
        Replica lagging = new Replica(theirs);
        lagging.attach("c1", "c1addr");
        Durable.Checkpoint c = lagging.install(reply.checkpoint());
        assertNotNull(c);
        assertEquals(5, c.slot());
        assertEquals(5, lagging.slotOut());
        assertEquals(locks.snapshot(), theirs.snapshot());
        assertEquals(r.executed("c0"), lagging.executed("c0"));
        assertEquals(new Replica.Executed(1, new Result.Waiting("x")), lagging.executed("c3"));
        // Its exactly-once table came along: a retry of c0's unlock decided again is not executed.
        Output out = new Output();
        lagging.onDecide(5, v(unlock("c0", 2, "x"), unlock("c1", 2, "x")), "n1", out);
        assertEquals(List.of(new Envelope("c1addr", reply("c1", 2, new Result.Released("x", "c2", 3)))), out.sends());
        assertEquals("c2", theirs.holder("x"));
        assertNull(lagging.install(reply.checkpoint()), "a checkpoint behind the replica changes nothing");
        assertEquals(6, lagging.slotOut());
    }

    @Test
    void restoreFromTheLogKeepsDecidedSlotsAboveTheCheckpoint() {
        for (long s = 0; s < 3; s++) {
            decide(s, v(lock("c" + s, 1, "y")));
        }
        Durable.Checkpoint c = r.maybeCheckpoint(3);
        Replica fresh = new Replica(new LockTable());
        Output o = new Output();
        fresh.onDecide(3, v(lock("d", 1, "y")), "n1", o); // learned before the checkpoint arrives
        fresh.restore(c);
        assertEquals(3, fresh.slotOut());
        fresh.drain("n1", o);
        assertEquals(4, fresh.slotOut());
        assertEquals("c0", ((LockTable) fresh.machine()).holder("y"));
    }
}
