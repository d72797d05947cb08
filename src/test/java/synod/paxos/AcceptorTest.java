package synod.paxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import synod.app.Op;
import synod.core.Output;

/** Layer 1: the acceptor, one message at a time, asserting the exact reply and durable records. */
class AcceptorTest {
    static final Value A = value("a", 1, "x");
    static final Value B = value("b", 1, "x");
    static final Value C = value("c", 1, "y");

    static Value value(String client, long seq, String lock) {
        return new Value(List.of(new Request(client, seq, new Op.Lock(lock))));
    }

    static Ballot b(long round, int node) {
        return new Ballot(round, node);
    }

    static PValue pv(Ballot ballot, long slot, Value v) {
        return new PValue(ballot, slot, v);
    }

    @Test
    void promisesAHigherBallotAndPersistsThePromiseFirst() {
        Acceptor a = new Acceptor();
        Output out = new Output();
        PaxosMsg reply = a.onPrepare(new PaxosMsg.Prepare(b(1, 2), 0), out);
        assertEquals(new PaxosMsg.Promise(b(1, 2), 0, List.of(), 0), reply);
        assertEquals(List.of(new Durable.Promised(b(1, 2))), out.records());
        assertTrue(out.sends().isEmpty(), "the acceptor returns its reply; the node sends it");
        assertEquals(b(1, 2), a.promised());

        Output higher = new Output();
        assertEquals(new PaxosMsg.Promise(b(2, 1), 0, List.of(), 0), a.onPrepare(new PaxosMsg.Prepare(b(2, 1), 0), higher));
        assertEquals(List.of(new Durable.Promised(b(2, 1))), higher.records());
    }

    @Test
    void nacksALowerBallotWithWhatItPromised() {
        Acceptor a = new Acceptor();
        a.onPrepare(new PaxosMsg.Prepare(b(2, 1), 0), new Output());
        Output out = new Output();
        assertEquals(new PaxosMsg.Nack(b(1, 3), b(2, 1)), a.onPrepare(new PaxosMsg.Prepare(b(1, 3), 0), out));
        // Same round, lower node: still lower.
        assertEquals(new PaxosMsg.Nack(b(2, 0), b(2, 1)), a.onPrepare(new PaxosMsg.Prepare(b(2, 0), 0), out));
        assertTrue(out.records().isEmpty(), "a refusal changes nothing durable");
        assertEquals(b(2, 1), a.promised());
    }

    @Test
    void rePromisingTheSameBallotWritesNoNewRecord() {
        Acceptor a = new Acceptor();
        a.onPrepare(new PaxosMsg.Prepare(b(1, 1), 0), new Output());
        Output again = new Output();
        assertEquals(new PaxosMsg.Promise(b(1, 1), 0, List.of(), 0), a.onPrepare(new PaxosMsg.Prepare(b(1, 1), 0), again));
        assertTrue(again.records().isEmpty());
    }

    @Test
    void acceptsAtThePromisedBallotAndPersistsEachPValue() {
        Acceptor a = new Acceptor();
        a.onPrepare(new PaxosMsg.Prepare(b(1, 1), 0), new Output());
        Output out = new Output();
        PaxosMsg reply = a.onAccept(b(1, 1), List.of(pv(b(1, 1), 0, A), pv(b(1, 1), 1, B)), out);
        assertEquals(new PaxosMsg.Accepted(b(1, 1), List.of(0L, 1L)), reply);
        assertEquals(List.of(new Durable.Accepted(pv(b(1, 1), 0, A)), new Durable.Accepted(pv(b(1, 1), 1, B))),
                out.records());
        assertEquals(pv(b(1, 1), 1, B), a.accepted(1));
    }

    @Test
    void acceptingAboveThePromiseAlsoPromisesIt() {
        Acceptor a = new Acceptor();
        a.onPrepare(new PaxosMsg.Prepare(b(1, 1), 0), new Output());
        Output out = new Output();
        assertEquals(new PaxosMsg.Accepted(b(3, 2), List.of(4L)), a.onAccept(b(3, 2), List.of(pv(b(3, 2), 4, C)), out));
        assertEquals(List.of(new Durable.Promised(b(3, 2)), new Durable.Accepted(pv(b(3, 2), 4, C))), out.records());
        assertEquals(b(3, 2), a.promised());
    }

    @Test
    void theAcceptedPValueTakesTheBallotOfTheAcceptNotOfItsEntries() {
        Acceptor a = new Acceptor();
        Output out = new Output();
        a.onAccept(b(2, 1), List.of(pv(b(1, 3), 0, A)), out);
        assertEquals(pv(b(2, 1), 0, A), a.accepted(0));
    }

    @Test
    void reAcceptingTheSamePValueWritesNoNewRecordButIsAcknowledged() {
        Acceptor a = new Acceptor();
        a.onAccept(b(1, 1), List.of(pv(b(1, 1), 0, A)), new Output());
        Output again = new Output();
        assertEquals(new PaxosMsg.Accepted(b(1, 1), List.of(0L)), a.onAccept(b(1, 1), List.of(pv(b(1, 1), 0, A)), again));
        assertTrue(again.records().isEmpty());
    }

    @Test
    void nacksAnAcceptBelowThePromise() {
        Acceptor a = new Acceptor();
        a.onPrepare(new PaxosMsg.Prepare(b(2, 2), 0), new Output());
        Output out = new Output();
        assertEquals(new PaxosMsg.Nack(b(1, 1), b(2, 2)), a.onAccept(b(1, 1), List.of(pv(b(1, 1), 0, A)), out));
        assertTrue(out.records().isEmpty());
        assertNull(a.accepted(0));
    }

    @Test
    void aHigherBallotReplacesTheAcceptedValueOfASlot() {
        Acceptor a = new Acceptor();
        a.onAccept(b(1, 1), List.of(pv(b(1, 1), 0, A)), new Output());
        Output out = new Output();
        a.onAccept(b(2, 2), List.of(pv(b(2, 2), 0, B)), out);
        assertEquals(pv(b(2, 2), 0, B), a.accepted(0));
        assertEquals(List.of(new Durable.Promised(b(2, 2)), new Durable.Accepted(pv(b(2, 2), 0, B))), out.records());
    }

    @Test
    void aPromiseCarriesTheAcceptedPValuesFromItsSlotOnAndTheCheckpointSlot() {
        Acceptor a = new Acceptor();
        for (long s = 0; s < 4; s++) {
            a.onAccept(b(1, 1), List.of(pv(b(1, 1), s, A)), new Output());
        }
        assertEquals(new PaxosMsg.Promise(b(2, 2), 2, List.of(pv(b(1, 1), 2, A), pv(b(1, 1), 3, A)), 0),
                a.onPrepare(new PaxosMsg.Prepare(b(2, 2), 2), new Output()));
        a.forgetBelow(2);
        assertEquals(new PaxosMsg.Promise(b(3, 3), 0, List.of(pv(b(1, 1), 2, A), pv(b(1, 1), 3, A)), 2),
                a.onPrepare(new PaxosMsg.Prepare(b(3, 3), 0), new Output()));
    }

    @Test
    void forgetBelowDropsCheckpointedSlotsAndReturnsWhatMustStayDurable() {
        Acceptor a = new Acceptor();
        a.onPrepare(new PaxosMsg.Prepare(b(5, 1), 0), new Output());
        a.onAccept(b(5, 1), List.of(pv(b(5, 1), 0, A), pv(b(5, 1), 1, B), pv(b(5, 1), 2, C)), new Output());
        List<Durable> keep = a.forgetBelow(2);
        assertEquals(List.of(new Durable.Promised(b(5, 1)), new Durable.Accepted(pv(b(5, 1), 2, C))), keep);
        assertEquals(2, a.forgottenBelow());
        assertNull(a.accepted(0));
        assertNull(a.accepted(1));
        // A lower checkpoint later forgets nothing more.
        assertEquals(keep, a.forgetBelow(1));
        assertEquals(2, a.forgottenBelow());
        // An accept for a forgotten slot is neither recorded nor acknowledged: it is decided already.
        Output out = new Output();
        assertEquals(new PaxosMsg.Accepted(b(5, 1), List.of(3L)),
                a.onAccept(b(5, 1), List.of(pv(b(5, 1), 1, C), pv(b(5, 1), 3, C)), out));
        assertEquals(List.of(new Durable.Accepted(pv(b(5, 1), 3, C))), out.records());
    }

    @Test
    void recoverReplaysRecordsAndTheHighestBallotWinsPerSlot() {
        Acceptor a = new Acceptor();
        List<Durable> log = List.of(
                new Durable.Promised(b(1, 1)),
                new Durable.Accepted(pv(b(1, 1), 0, A)),
                new Durable.Promised(b(3, 2)),
                new Durable.Accepted(pv(b(3, 2), 0, B)),
                new Durable.Accepted(pv(b(2, 1), 0, C)), // older, replayed later: must not win
                new Durable.Accepted(pv(b(1, 1), 1, C)),
                new Durable.Promised(b(2, 1))); // lower than the promise before it
        log.forEach(a::recover);
        assertEquals(b(3, 2), a.promised());
        assertEquals(pv(b(3, 2), 0, B), a.accepted(0));
        assertEquals(pv(b(1, 1), 1, C), a.accepted(1));
        // It behaves as it did before the crash: lower ballots are refused.
        assertEquals(new PaxosMsg.Nack(b(3, 1), b(3, 2)), a.onPrepare(new PaxosMsg.Prepare(b(3, 1), 0), new Output()));
    }

    @Test
    void recoverOfACheckpointForgetsTheSlotsBelowIt() {
        Acceptor a = new Acceptor();
        a.recover(new Durable.Accepted(pv(b(1, 1), 0, A)));
        a.recover(new Durable.Accepted(pv(b(1, 1), 5, B)));
        a.recover(new Durable.Checkpoint(3, JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode()));
        assertNull(a.accepted(0));
        assertEquals(pv(b(1, 1), 5, B), a.accepted(5));
        assertEquals(3, a.forgottenBelow());
    }
}
