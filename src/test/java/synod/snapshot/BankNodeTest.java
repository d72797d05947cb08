package synod.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static synod.core.Envelope.MASTER;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import synod.core.Check;
import synod.core.Envelope;
import synod.core.Message;
import synod.snapshot.BankMsg.Begin;
import synod.snapshot.BankMsg.Collect;
import synod.snapshot.BankMsg.Done;
import synod.snapshot.BankMsg.Enqueued;
import synod.snapshot.BankMsg.Marker;
import synod.snapshot.BankMsg.Report;
import synod.snapshot.BankMsg.SendMoney;
import synod.snapshot.BankMsg.Take;
import synod.snapshot.BankMsg.Transfer;

/**
 * Layer 1: node "1" (balance 100, peers "2" and "3") stepped one event at a time, asserting the
 * exact envelopes of each {@link synod.core.Output}. Peers are played by the test.
 */
class BankNodeTest {
    final BankNode node = node();

    static BankNode node() {
        BankNode n = new BankNode("1", 100);
        n.addPeer("3");
        n.addPeer("2");
        n.addPeer("2"); // idempotent
        return n;
    }

    List<Envelope> step(String from, Message m) {
        return node.step(from, m).sends();
    }

    static Envelope to(String to, Message m) {
        return new Envelope(to, m);
    }

    static Done done(long seq, String line, List<String> pushed, String error) {
        return new Done(seq, line, pushed, error);
    }

    @Test
    void peersAreListedInOrder() {
        assertEquals(List.of("2", "3"), node.peers());
        assertEquals("1", node.id());
    }

    @Test
    void sendMoneyDebitsAndRepliesOnlyAfterTheReceiverAcks() {
        assertEquals(List.of(to("2", new Transfer(30))), step(MASTER, new SendMoney(1, "2", 30)));
        assertEquals(70, node.balance());
        assertEquals(List.of(to(MASTER, done(1, null, List.of("2"), null))), step("2", new Enqueued()));
    }

    @Test
    void sendMoneyOfTheWholeBalanceIsAllowed() {
        assertEquals(List.of(to("3", new Transfer(100))), step(MASTER, new SendMoney(1, "3", 100)));
        assertEquals(0, node.balance());
    }

    @Test
    void sendMoneyBeyondTheBalanceIsRefusedWithErrSend() {
        assertEquals(List.of(to(MASTER, done(4, "ERR_SEND", List.of(), null))), step(MASTER, new SendMoney(4, "2", 101)));
        assertEquals(100, node.balance());
        // Nothing is pending: the next command is accepted at once.
        assertEquals(List.of(to("2", new Transfer(1))), step(MASTER, new SendMoney(5, "2", 1)));
    }

    @Test
    void sendMoneyToAnUnknownPeerOrItselfIsAnErrorValue() {
        assertEquals(List.of(to(MASTER, done(1, null, List.of(), "node 1 has no channel to 9"))),
                step(MASTER, new SendMoney(1, "9", 5)));
        assertEquals(List.of(to(MASTER, done(2, null, List.of(), "node 1 has no channel to 1"))),
                step(MASTER, new SendMoney(2, "1", 5)));
        assertEquals(List.of(to(MASTER, done(3, null, List.of(), "negative amount -5"))),
                step(MASTER, new SendMoney(3, "2", -5)));
        assertEquals(100, node.balance());
    }

    @Test
    void aTransferIsAckedOnArrivalAndCreditedOnlyWhenTaken() {
        assertEquals(List.of(to("2", new Enqueued())), step("2", new Transfer(5)));
        assertEquals(1, node.queued("2"));
        assertEquals(100, node.balance());
        assertEquals(List.of(to(MASTER, done(2, "2 Transfer 5", List.of(), null))), step(MASTER, new Take(2, "2")));
        assertEquals(105, node.balance());
        assertEquals(0, node.queued("2"));
    }

    @Test
    void eachChannelIsFifo() {
        step("2", new Transfer(1));
        step("3", new Transfer(9));
        step("2", new Transfer(2));
        assertEquals(List.of(to(MASTER, done(1, "2 Transfer 1", List.of(), null))), step(MASTER, new Take(1, "2")));
        assertEquals(List.of(to(MASTER, done(2, "2 Transfer 2", List.of(), null))), step(MASTER, new Take(2, "2")));
        assertEquals(List.of(to(MASTER, done(3, "3 Transfer 9", List.of(), null))), step(MASTER, new Take(3, "3")));
    }

    @Test
    void takeOnAnEmptyOrUnknownChannelIsAnErrorValue() {
        assertEquals(List.of(to(MASTER, done(1, null, List.of(), "channel (2 -> 1) is empty"))),
                step(MASTER, new Take(1, "2")));
        assertEquals(List.of(to(MASTER, done(2, null, List.of(), "node 1 has no channel from 9"))),
                step(MASTER, new Take(2, "9")));
    }

    @Test
    void firstMarkerTakenRecordsSendsMarkersEverywhereAndWaitsForEveryAck() {
        assertEquals(List.of(to("3", new Enqueued())), step("3", new Marker(1)));
        assertEquals(List.of(to("2", new Marker(1)), to("3", new Marker(1))), step(MASTER, new Take(8, "3")));
        assertEquals(List.of(), step("3", new Enqueued()));
        assertEquals(List.of(to(MASTER, done(8, "3 SnapshotToken -1", List.of("2", "3"), null))),
                step("2", new Enqueued()));
        assertEquals(List.of(to(MASTER, new Report(9, 1, 100L, Map.of("2", 0L, "3", 0L), List.of("2")))),
                step(MASTER, new Collect(9, 1)));
    }

    @Test
    void laterMarkerTakenRepliesAtOnceAndClosesItsChannel() {
        step("3", new Marker(1));
        step("2", new Transfer(4));
        step("2", new Marker(1));
        step(MASTER, new Take(1, "3"));
        step("2", new Enqueued());
        step("3", new Enqueued());
        assertEquals(List.of(to(MASTER, done(2, "2 Transfer 4", List.of(), null))), step(MASTER, new Take(2, "2")));
        assertEquals(List.of(to(MASTER, done(3, "2 SnapshotToken -1", List.of(), null))), step(MASTER, new Take(3, "2")));
        assertEquals(List.of(to(MASTER, new Report(4, 1, 100L, Map.of("2", 4L, "3", 0L), List.of()))),
                step(MASTER, new Collect(4, 1)));
    }

    @Test
    void beginRecordsAndRepliesAfterEveryMarkerIsQueued() {
        step("2", new Transfer(10));
        assertEquals(List.of(to("2", new Marker(5)), to("3", new Marker(5))), step(MASTER, new Begin(1, 5)));
        assertEquals(List.of(), step("2", new Enqueued()));
        assertEquals(List.of(to(MASTER, done(1, null, List.of("2", "3"), null))), step("3", new Enqueued()));
        step(MASTER, new Take(2, "2")); // sent before 2 recorded, taken after 1 recorded: in the channel
        assertEquals(List.of(to(MASTER, new Report(3, 5, 100L, Map.of("2", 10L, "3", 0L), List.of("2", "3")))),
                step(MASTER, new Collect(3, 5)));
    }

    @Test
    void beginOfASnapshotThatIsNotNewIsAnErrorValue() {
        step(MASTER, new Begin(1, 5));
        step("2", new Enqueued());
        step("3", new Enqueued());
        assertEquals(List.of(to(MASTER, done(2, null, List.of(), "snapshot 5 is not new"))), step(MASTER, new Begin(2, 5)));
    }

    @Test
    void beginOnANodeWithoutPeersRepliesAtOnce() {
        BankNode alone = new BankNode("7", 3);
        assertEquals(List.of(to(MASTER, done(1, null, List.of(), null))), alone.step(MASTER, new Begin(1, 1)).sends());
        assertEquals(List.of(to(MASTER, new Report(2, 1, 3L, Map.of(), List.of()))),
                alone.step(MASTER, new Collect(2, 1)).sends());
    }

    @Test
    void collectBeforeRecordingReportsNoState() {
        assertEquals(List.of(to(MASTER, new Report(1, 1, null, Map.of(), List.of()))), step(MASTER, new Collect(1, 1)));
    }

    @Test
    void aStaleMarkerIsQueuedTakenAndPrintedButRecordsNothing() {
        step(MASTER, new Begin(1, 2));
        step("2", new Enqueued());
        step("3", new Enqueued());
        step("2", new Marker(1));
        assertEquals(List.of(to(MASTER, done(2, "2 SnapshotToken -1", List.of(), null))), step(MASTER, new Take(2, "2")));
        assertEquals(List.of(to(MASTER, new Report(3, 2, 100L, Map.of("2", 0L, "3", 0L), List.of("2", "3")))),
                step(MASTER, new Collect(3, 2)));
    }

    @Test
    void aPeerSendingAMasterCommandOrAReplyIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> node.step("2", new SendMoney(1, "3", 5)));
        assertThrows(IllegalArgumentException.class, () -> node.step("2", new Take(1, "3")));
        assertThrows(IllegalArgumentException.class, () -> node.step("2", new Begin(1, 1)));
        assertThrows(IllegalArgumentException.class, () -> node.step("2", new Collect(1, 1)));
        assertThrows(IllegalArgumentException.class, () -> node.step("2", new Done(1, null, List.of(), null)));
        assertEquals(100, node.balance());
    }

    @Test
    void anUnexpectedAckIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> node.step("2", new Enqueued()));
        step(MASTER, new SendMoney(1, "2", 1));
        step("2", new Enqueued());
        assertThrows(IllegalArgumentException.class, () -> node.step("2", new Enqueued()));
    }

    @Test
    void anAckFromAPeerThatWasSentNothingIsRejectedAndDoesNotReleaseTheReply() {
        step(MASTER, new SendMoney(1, "2", 5));
        assertThrows(IllegalArgumentException.class, () -> node.step("3", new Enqueued()));
        assertEquals(List.of(to(MASTER, done(1, null, List.of("2"), null))), step("2", new Enqueued()));
    }

    @Test
    void aMessageFromAnUnknownPeerIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> node.step("9", new Transfer(5)));
        assertThrows(IllegalArgumentException.class, () -> node.step("9", new Marker(1)));
    }

    @Test
    void aNonBankMessageIsRejected() {
        Message alien = new Message() {};
        assertThrows(IllegalArgumentException.class, () -> node.step("2", alien));
        assertThrows(IllegalArgumentException.class, () -> node.step(MASTER, alien));
    }

    @Test
    void theMasterSendingAPeerMessageOrASecondCommandIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> node.step(MASTER, new Transfer(5)));
        assertThrows(IllegalArgumentException.class, () -> node.step(MASTER, new Enqueued()));
        step(MASTER, new SendMoney(1, "2", 5));
        assertThrows(IllegalArgumentException.class, () -> node.step(MASTER, new Take(2, "3")));
    }

    @Test
    void brokenOwnInvariantsUseCheck() {
        assertThrows(Check.InvariantViolation.class, () -> new BankNode("1", -1));
        assertThrows(Check.InvariantViolation.class, () -> node.addPeer("1"));
    }

    @Test
    void aPeerGoingDownAnswersTheCommandWaitingOnItsAckAtOnce() {
        step(MASTER, new SendMoney(1, "2", 30));
        assertEquals(List.of(to(MASTER, done(1, null, List.of("2"),
                "node 2 went down before queueing what node 1 sent it"))), node.onPeerDown("2").sends());
        // The node is free for the next command, and refuses a send on the broken channel.
        assertEquals(List.of(to(MASTER, done(2, null, List.of(), "channel to node 2 is down; nothing sent"))),
                step(MASTER, new SendMoney(2, "2", 5)));
        assertEquals(70, node.balance());
        assertEquals(List.of(), node.onPeerDown("2").sends(), "a second down is not news");
    }

    @Test
    void markersSkipADownPeerAndTheReplySaysSo() {
        node.onPeerDown("3");
        assertEquals(List.of(to("2", new Marker(1))), step(MASTER, new Begin(7, 1)));
        assertEquals(List.of(to(MASTER, done(7, null, List.of("2"), "no marker sent to node(s) [3]: channel down"))),
                step("2", new Enqueued()));
        node.onPeerUp("3");
        assertEquals(List.of(to("2", new Transfer(10))), step(MASTER, new SendMoney(8, "2", 10)));
    }
}
