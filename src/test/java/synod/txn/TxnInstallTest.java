package synod.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import synod.app.Op;
import synod.app.Services;
import synod.core.Envelope;
import synod.core.Output;
import synod.paxos.Durable;
import synod.paxos.PaxosConfig;
import synod.paxos.PaxosMsg;
import synod.paxos.PaxosNode;

/**
 * A leader that catches up by installing a peer's checkpoint gets a transaction table no executed
 * entry told its 2PC agent of; it must act on what the table holds as a new leader does. Found by
 * the 2PC simulation ({@code make sim SEED=159}, TxnSimTest): a leader installed a checkpoint holding
 * a transaction it coordinated, still PREPARING, and never sent its PREPARE again nor timed it out,
 * so its lock on the sender's account was held for ever and every later request on it was busy.
 */
class TxnInstallTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<List<String>> layout = List.of(List.of("n1", "n2", "n3"), List.of("n4", "n5", "n6"));

    @Test
    void aLeaderThatInstallsACheckpointResumesTheTransactionsInIt() {
        Services donor = new Services(1, 2); // what group 1's other replicas executed: a transfer to group 2 began
        donor.apply("master", 1, new Op.Open(List.of("1"), 10));
        donor.apply("master", 2, new Op.Place(List.of(new Op.Range("1", "3000", 1), new Op.Range("3001", "6000", 2))));
        assertNull(donor.apply("c", 1, new Op.Transfer("1", "3001", 4)).result(), "deferred: 2PC began");
        String txid = donor.txns().coords().keySet().iterator().next();
        JsonNode checkpoint = JSON.valueToTree(new Durable.Checkpoint(5, donor.snapshot(), JSON.createObjectNode()));

        Services mine = new Services(1, 2);
        PaxosNode n1 = new PaxosNode(PaxosConfig.of(layout.get(0)), "n1", mine, new Random(1));
        n1.enableTxn(layout, 1, mine.txns(), new TxnAgent.Timing(10, 200, 400));
        lead(n1);
        n1.tick(); // its agent knows it leads, and has nothing to do
        List<Envelope> sent = new ArrayList<>(sends(n1.step("n2", new PaxosMsg.CatchUpReply(5, List.of(), 5, checkpoint))));
        assertEquals(txid, mine.txns().coords().keySet().iterator().next(), "installed");
        for (int t = 0; t < 10; t++) {
            sent.addAll(sends(n1.tick()));
        }
        assertTrue(sent.stream().anyMatch(e -> e.message() instanceof TxnMsg.PrepareTxn p && p.txid().equals(txid)
                && layout.get(1).contains(e.to())), "PREPARE of " + txid + " to group 2: " + sent);
    }

    /** Ticks {@code n} until it campaigns, then gives it n2's promise. */
    private static void lead(PaxosNode n) {
        for (int t = 0; t < 1000 && !n.isLeader(); t++) {
            for (Envelope e : sends(n.tick())) {
                if (e.message() instanceof PaxosMsg.Prepare p && e.to().equals("n2")) {
                    n.step("n2", new PaxosMsg.Promise(p.ballot(), p.fromSlot(), List.of(), 0));
                }
            }
        }
        assertTrue(n.isLeader());
    }

    private static List<Envelope> sends(Output out) {
        List<Envelope> all = new ArrayList<>(out.earlySends());
        all.addAll(out.sends());
        return all;
    }
}
