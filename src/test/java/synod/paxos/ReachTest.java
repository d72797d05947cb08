package synod.paxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import synod.core.BadMessage;
import synod.core.Output;

/**
 * What a member's message may ask, beyond being well-formed (the harness found both from a forged
 * peer; a member with a bug could send them too): a ballot far beyond any promised would bring
 * the round near its bound, where no election could start again; a value for a slot far beyond
 * the log, once accepted, made the next leader fill every slot up to it and run out of memory.
 */
class ReachTest {
    @Test
    void aBallotFarBeyondThePromiseIsRefusedAndNotPromised() {
        PaxosNode n = LeaderTest.node(LeaderTest.THREE, "n1");
        n.step("n2", new PaxosMsg.Prepare(LeaderTest.b(5, 2), 0));
        assertEquals(LeaderTest.b(5, 2), n.acceptor().promised());
        for (var m : List.<PaxosMsg>of(new PaxosMsg.Prepare(LeaderTest.b(5 + PaxosNode.ROUND_REACH + 1, 2), 0),
                new PaxosMsg.Accept(LeaderTest.b((1L << 40) - 1, 3), List.of()),
                new PaxosMsg.Heartbeat(LeaderTest.b((1L << 40) - 1, 3), 0),
                new PaxosMsg.Nack(LeaderTest.b(1, 1), LeaderTest.b((1L << 40) - 1, 3)))) {
            assertThrows(BadMessage.class, () -> n.step("n2", m), m.toString());
        }
        assertEquals(LeaderTest.b(5, 2), n.acceptor().promised(), "the promise moved");
        Output ok = n.step("n2", new PaxosMsg.Prepare(LeaderTest.b(5 + PaxosNode.ROUND_REACH, 2), 0));
        assertEquals(LeaderTest.b(5 + PaxosNode.ROUND_REACH, 2), n.acceptor().promised(), "within reach: " + ok);
    }

    @Test
    void aValueFarBeyondTheLogIsNotAccepted() {
        PaxosNode n = LeaderTest.node(LeaderTest.THREE, "n1");
        Ballot b = LeaderTest.b(1, 2);
        long far = PaxosNode.SLOT_REACH + 1;
        Output out = n.step("n2", new PaxosMsg.Accept(b, List.of(new PValue(b, 0, LeaderTest.value("c", 1)),
                new PValue(b, far, LeaderTest.value("c", 2)), new PValue(b, 1_000_000_000L, LeaderTest.value("c", 3)))));
        List<PaxosMsg.Accepted> votes = LeaderTest.messages(out, PaxosMsg.Accepted.class);
        assertEquals(List.of(0L), votes.get(0).slots(), "voted for a slot beyond reach");
        assertTrue(n.acceptor().acceptedView().keySet().equals(java.util.Set.of(0L)), n.acceptor().acceptedView().toString());
    }
}
