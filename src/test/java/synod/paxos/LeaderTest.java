package synod.paxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import synod.app.LockTable;
import synod.app.Op;
import synod.core.Envelope;
import synod.core.Message;
import synod.core.Output;

/**
 * Layer 1: the leader's election and phase 2 at the message level, through {@link PaxosNode}: hand
 * built promises, NACKs and acceptances in, the exact messages, records and crash points out.
 */
class LeaderTest {
    static final List<String> FIVE = List.of("n1", "n2", "n3", "n4", "n5");
    static final List<String> THREE = List.of("n1", "n2", "n3");

    static PaxosConfig config(List<String> nodes) {
        return new PaxosConfig(nodes, 2, 10, 4, 40, 3, 8, 4, 0, 8);
    }

    static PaxosNode node(List<String> nodes, String me) {
        return new PaxosNode(config(nodes), me, new LockTable(), new Random(1));
    }

    static Value value(String client, long seq) {
        return new Value(List.of(new Request(client, seq, new Op.Lock("x"))));
    }

    static Ballot b(long round, int node) {
        return new Ballot(round, node);
    }

    /** Ticks {@code n} until it sends a Prepare; returns that tick's output. */
    static Output tickUntilPrepare(PaxosNode n) {
        for (int i = 0; i < 100; i++) {
            Output out = n.tick();
            if (!messages(out, PaxosMsg.Prepare.class).isEmpty()) {
                return out;
            }
        }
        fail(n.id() + " never started an election");
        return null;
    }

    /** The messages of {@code type} a step sends, early ones first (as they leave). */
    static <T> List<T> messages(Output out, Class<T> type) {
        List<T> found = new ArrayList<>();
        List<Envelope> all = new ArrayList<>(out.earlySends());
        all.addAll(out.sends());
        for (Envelope e : all) {
            if (type.isInstance(e.message())) {
                found.add(type.cast(e.message()));
            }
        }
        return found;
    }

    static List<String> receivers(Output out, Class<? extends Message> type) {
        List<String> to = new ArrayList<>();
        java.util.stream.Stream.concat(out.earlySends().stream(), out.sends().stream())
                .filter(e -> type.isInstance(e.message())).forEach(e -> to.add(e.to()));
        return to;
    }

    /** Makes {@code n} (n1 of three) leader at the ballot of its first election, with nothing accepted. */
    static Ballot elect(PaxosNode n) {
        PaxosMsg.Prepare p = messages(tickUntilPrepare(n), PaxosMsg.Prepare.class).get(0);
        n.step("n2", new PaxosMsg.Promise(p.ballot(), p.fromSlot(), List.of(), 0));
        assertTrue(n.isLeader());
        return p.ballot();
    }

    @Test
    void anElectionSendsPrepareToEveryPeerAndPromisesItselfFirst() {
        PaxosNode n = node(FIVE, "n1");
        Output out = tickUntilPrepare(n);
        assertEquals(List.of("n2", "n3", "n4", "n5"), receivers(out, PaxosMsg.Prepare.class));
        assertEquals(new PaxosMsg.Prepare(b(1, 1), 0), messages(out, PaxosMsg.Prepare.class).get(0));
        assertEquals(List.of(new Durable.Promised(b(1, 1))), out.records(), "its own promise, forced before the Prepares leave");
        assertEquals(List.of("after-send-prepare", "after-receive-prepare", "after-persist-promise"), out.points());
        assertFalse(n.isLeader());
    }

    @Test
    void newViewMergesTheHighestBallotPValuePerSlotAndFillsHolesWithNoops() {
        PaxosNode n = node(FIVE, "n1");
        // Before its crash n1 promised (3,4) and accepted slot 1 at (1,2).
        n.recover(List.of(new Durable.Promised(b(3, 4)), new Durable.Accepted(new PValue(b(1, 2), 1, value("a", 1)))));
        PaxosMsg.Prepare p = messages(tickUntilPrepare(n), PaxosMsg.Prepare.class).get(0);
        Ballot mine = b(4, 1);
        assertEquals(new PaxosMsg.Prepare(mine, 0), p, "above everything it promised, even before the crash");

        Output first = n.step("n2", new PaxosMsg.Promise(mine, 0, List.of(
                new PValue(b(2, 3), 1, value("b", 1)), // beats n1's own (1,2) for slot 1
                new PValue(b(1, 2), 3, value("c", 1))), 0));
        assertTrue(messages(first, PaxosMsg.NewView.class).isEmpty(), "two promises of five are no majority");
        assertFalse(n.isLeader());

        Output out = n.step("n3", new PaxosMsg.Promise(mine, 0, List.of(
                new PValue(b(1, 2), 0, value("d", 1)),
                new PValue(b(1, 1), 3, value("e", 1))), 0)); // loses to n2's (1,2) for slot 3
        PaxosMsg.NewView expected = new PaxosMsg.NewView(mine, 0, List.of(
                new PValue(mine, 0, value("d", 1)),
                new PValue(mine, 1, value("b", 1)),
                new PValue(mine, 2, Value.NOOP),
                new PValue(mine, 3, value("c", 1))));
        assertEquals(List.of("n2", "n3", "n4", "n5"), receivers(out, PaxosMsg.NewView.class));
        messages(out, PaxosMsg.NewView.class).forEach(v -> assertEquals(expected, v));
        assertTrue(n.isLeader());
        assertEquals(mine, n.ballot());
        assertEquals(List.of(expected), n.views());
        // Its own acceptor accepted the whole view in the same step, before anything left.
        List<Object> accepted = new ArrayList<>();
        expected.entries().forEach(e -> accepted.add(new Durable.Accepted(e)));
        assertEquals(accepted, out.records());
        assertEquals(List.of(0L, 1L, 2L, 3L), List.copyOf(n.acceptor().acceptedView().keySet()));
    }

    @Test
    void promisesForAnotherBallotOrSlotAreIgnored() {
        PaxosNode n = node(THREE, "n1");
        PaxosMsg.Prepare p = messages(tickUntilPrepare(n), PaxosMsg.Prepare.class).get(0);
        n.step("n2", new PaxosMsg.Promise(b(0, 2), p.fromSlot(), List.of(), 0));
        n.step("n3", new PaxosMsg.Promise(p.ballot(), p.fromSlot() + 1, List.of(), 0));
        assertFalse(n.isLeader());
        n.step("n3", new PaxosMsg.Promise(p.ballot(), p.fromSlot(), List.of(), 0));
        assertTrue(n.isLeader());
    }

    @Test
    void aNackWithAHigherBallotMakesACandidateStepDown() {
        PaxosNode n = node(THREE, "n1");
        PaxosMsg.Prepare p = messages(tickUntilPrepare(n), PaxosMsg.Prepare.class).get(0);
        n.step("n2", new PaxosMsg.Nack(p.ballot(), b(9, 2)));
        Output late = n.step("n3", new PaxosMsg.Promise(p.ballot(), p.fromSlot(), List.of(), 0));
        assertFalse(n.isLeader(), "a candidate that stepped down ignores late promises");
        assertTrue(late.sends().isEmpty());
        // It waits (election timeout plus backoff) before trying again, and does not retransmit meanwhile.
        for (int i = 0; i < 9; i++) {
            assertTrue(messages(n.tick(), PaxosMsg.Prepare.class).isEmpty(), "tick " + i);
        }
    }

    @Test
    void aNackForAnOldBallotIsIgnored() {
        PaxosNode n = node(THREE, "n1");
        Ballot mine = elect(n);
        n.step("n2", new PaxosMsg.Nack(b(0, 1), b(9, 2)));
        assertTrue(n.isLeader());
        assertEquals(mine, n.ballot());
    }

    @Test
    void aNackWithAHigherBallotMakesALeaderStepDown() {
        PaxosNode n = node(THREE, "n1");
        Ballot mine = elect(n);
        n.step("n2", new PaxosMsg.Nack(mine, b(mine.round() + 1, 3)));
        assertFalse(n.isLeader());
        Output out = n.step("c", new PaxosMsg.ClientRequest(new Request("c", 1, new Op.Lock("x"))));
        assertTrue(messages(out, PaxosMsg.Accept.class).isEmpty(), "a former leader proposes nothing");
    }

    @Test
    void aHigherBallotFromAnotherLeaderMakesALeaderStepDownAndFollowIt() {
        PaxosNode n = node(THREE, "n1");
        Ballot mine = elect(n);
        Ballot theirs = b(mine.round() + 1, 2);
        n.step("n2", new PaxosMsg.Heartbeat(theirs, 0));
        assertFalse(n.isLeader());
        assertEquals("n2", n.leaderId());
        assertEquals(theirs, n.ballot());
    }

    @Test
    void anElectionUsesABallotAboveEverythingPromised() {
        PaxosNode n = node(THREE, "n1");
        Output promised = n.step("n3", new PaxosMsg.Prepare(b(7, 3), 0));
        assertEquals(List.of(new Envelope("n3", new PaxosMsg.Promise(b(7, 3), 0, List.of(), 0))), promised.sends());
        assertEquals(new PaxosMsg.Prepare(b(8, 1), 0), messages(tickUntilPrepare(n), PaxosMsg.Prepare.class).get(0));
    }

    @Test
    void anElectionAfterRecoverUsesABallotAboveThePromiseInTheLog() {
        PaxosNode n = node(THREE, "n2");
        n.recover(List.of(new Durable.Promised(b(2, 1)), new Durable.Promised(b(5, 3))));
        assertEquals(new PaxosMsg.Prepare(b(6, 2), 0), messages(tickUntilPrepare(n), PaxosMsg.Prepare.class).get(0));
    }

    @Test
    void aLeaderProposesAClientRequestAndDecidesItOnAMajority() {
        PaxosNode n = node(THREE, "n1");
        Ballot mine = elect(n);
        Request req = new Request("c", 1, new Op.Lock("x"));
        Output queued = n.step("c", new PaxosMsg.ClientRequest(req));
        assertTrue(messages(queued, PaxosMsg.Accept.class).isEmpty(), "requests wait for the end of the round, to share a slot");
        Output proposed = n.endOfRound();
        PaxosMsg.Accept accept = new PaxosMsg.Accept(mine, List.of(new PValue(mine, 0, new Value(List.of(req)))));
        assertEquals(List.of(new Envelope("n2", accept), new Envelope("n3", accept)), proposed.earlySends(),
                "Accepts may leave before the leader's own acceptance is forced");
        assertTrue(proposed.sends().isEmpty());
        assertEquals(List.of(new Durable.Accepted(new PValue(mine, 0, new Value(List.of(req))))), proposed.records());
        assertEquals(List.of("after-send-accept", "after-receive-accept", "after-persist-accept"), proposed.points());

        Output decided = n.step("n3", new PaxosMsg.Accepted(mine, List.of(0L)));
        assertEquals(List.of("before-send-commit"), decided.points());
        PaxosMsg.Decide full = new PaxosMsg.Decide(0, new Value(List.of(req)));
        PaxosMsg.Decide bare = new PaxosMsg.Decide(0, null);
        assertTrue(decided.sends().containsAll(List.of(new Envelope("n2", full), new Envelope("n3", bare))),
                "n3 accepted the value and hears only the slot; n2 did not and gets the value");
        assertTrue(decided.earlySends().isEmpty(), "a Decide leaves only after the leader's acceptance is forced");
        assertTrue(decided.sends().contains(new Envelope("c", new PaxosMsg.ClientReply("c", 1,
                new synod.app.Result.Acquired("x", 1), "n1"))), "the client attached here is answered");
        assertEquals(1, n.replica().slotOut());

        Output dup = n.step("c", new PaxosMsg.ClientRequest(req));
        assertEquals(List.of(new Envelope("c", new PaxosMsg.ClientReply("c", 1,
                new synod.app.Result.Acquired("x", 1), "n1"))), dup.sends(), "a retry is answered, not proposed again");
    }

    /** The slot numbers of the Accepts a step sends (a leader's Accept carries one pvalue). */
    static List<Long> acceptedSlots(Output out) {
        return messages(out, PaxosMsg.Accept.class).stream().map(a -> a.entries().get(0).slot()).distinct().toList();
    }

    static Output request(PaxosNode n, String client, long seq) {
        return n.step(client, new PaxosMsg.ClientRequest(new Request(client, seq, new Op.Lock(client + seq))));
    }

    @Test
    void whileASlotIsInFlightAPartialBatchWaitsForItsDecisionAndThenForTheClientsItAnswered() {
        PaxosNode n = node(THREE, "n1"); // maxBatch 4
        Ballot mine = elect(n);
        request(n, "a", 1);
        assertEquals(List.of(0L), acceptedSlots(n.endOfRound()), "nothing in flight: a lone request goes at once");
        request(n, "b", 1);
        assertTrue(acceptedSlots(n.endOfRound()).isEmpty(), "a partial batch waits while slot 0 is in flight");
        for (int i = 1; i <= 4; i++) {
            request(n, "c" + i, 1);
        }
        assertEquals(List.of(1L), acceptedSlots(n.endOfRound()), "a full slot goes even while one is in flight");
        assertTrue(acceptedSlots(n.endOfRound()).isEmpty(), "the fifth queued request waits: slot 0 and 1 are in flight");

        Output decided = n.step("n2", new PaxosMsg.Accepted(mine, List.of(0L, 1L)));
        assertEquals(List.of(0L, 1L), messages(decided, PaxosMsg.Decide.class).stream().map(PaxosMsg.Decide::slot)
                .distinct().toList());
        assertTrue(acceptedSlots(decided).isEmpty() && acceptedSlots(n.endOfRound()).isEmpty(),
                "five clients were just answered: the one request queued waits for their next ones");
        assertTrue(n.lingering());
        request(n, "a", 2);
        request(n, "c1", 2);
        request(n, "c2", 2);
        assertTrue(acceptedSlots(n.endOfRound()).isEmpty(), "four queued of the six awaited: still waiting");
        Output ended = n.endLinger();
        assertEquals(List.of(2L), acceptedSlots(ended), "the runtime ends the wait: the queue goes, a full slot");
        assertFalse(n.lingering());
    }

    @Test
    void theLingerEndsWhenAsManyRequestsAsClientsAnsweredAreQueuedOrAtTheNextTick() {
        PaxosNode n = node(THREE, "n1"); // every step followed by the end of its round, as the runtime does
        Ballot mine = elect(n);
        request(n, "a", 1);
        request(n, "b", 1);
        assertEquals(List.of(0L), acceptedSlots(n.endOfRound()));
        request(n, "c", 1);
        assertTrue(acceptedSlots(n.endOfRound()).isEmpty(), "c waits for slot 0");
        n.step("n2", new PaxosMsg.Accepted(mine, List.of(0L)));
        assertTrue(acceptedSlots(n.endOfRound()).isEmpty(), "a and b were answered: c waits for their next requests");
        request(n, "a", 2);
        assertTrue(acceptedSlots(n.endOfRound()).isEmpty(), "one of the two answered clients is back");
        request(n, "b", 2);
        assertEquals(List.of(1L), acceptedSlots(n.endOfRound()), "both are back: the three go in one slot");

        request(n, "d", 1);
        assertTrue(acceptedSlots(n.endOfRound()).isEmpty());
        n.step("n3", new PaxosMsg.Accepted(mine, List.of(1L)));
        assertTrue(acceptedSlots(n.endOfRound()).isEmpty(), "three answered: d waits for them");
        assertEquals(List.of(2L), acceptedSlots(n.tick()), "the core's own bound: its next tick");
    }

    @Test
    void withNothingQueuedAtTheDecisionTheNextRequestGoesAtOnce() {
        PaxosNode n = node(THREE, "n1");
        Ballot mine = elect(n);
        request(n, "a", 1);
        request(n, "b", 1);
        assertEquals(List.of(0L), acceptedSlots(n.endOfRound()));
        n.step("n2", new PaxosMsg.Accepted(mine, List.of(0L)));
        assertTrue(acceptedSlots(n.endOfRound()).isEmpty());
        assertFalse(n.lingering());
        request(n, "a", 2);
        assertEquals(List.of(1L), acceptedSlots(n.endOfRound()), "no cohort waited behind slot 0: nothing to merge");
    }

    @Test
    void anAcceptorPersistsBeforeItAnswersAndNamesItsCrashPoints() {
        PaxosNode n = node(THREE, "n2");
        Output prep = n.step("n1", new PaxosMsg.Prepare(b(1, 1), 0));
        assertEquals(List.of("after-receive-prepare", "after-persist-promise"), prep.points());
        assertEquals(List.of(new Durable.Promised(b(1, 1))), prep.records());
        Output nack = n.step("n3", new PaxosMsg.Prepare(b(0, 3), 0));
        assertEquals(List.of("after-receive-prepare"), nack.points(), "a NACK persisted nothing");

        PValue pv = new PValue(b(1, 1), 0, value("a", 1));
        Output acc = n.step("n1", new PaxosMsg.Accept(b(1, 1), List.of(pv)));
        assertEquals(List.of("after-receive-accept", "after-persist-accept"), acc.points());
        assertEquals(List.of(new Durable.Accepted(pv)), acc.records());
        assertEquals(List.of(new Envelope("n1", new PaxosMsg.Accepted(b(1, 1), List.of(0L)))), acc.sends());
        assertEquals("n1", n.leaderId());
    }

    @Test
    void aFollowerBehindTheLeadersCommitSlotAsksItToCatchUp() {
        PaxosNode n = node(THREE, "n2");
        n.tick();
        Output out = n.step("n1", new PaxosMsg.Heartbeat(b(1, 1), 5));
        assertEquals(List.of(new Envelope("n1", new PaxosMsg.CatchUp(0))), out.sends());
        assertEquals("n1", n.leaderId());
        assertTrue(n.step("n1", new PaxosMsg.Heartbeat(b(1, 1), 5)).sends().isEmpty(),
                "not again before retransmitTicks");
    }

    @Test
    void aFollowerFarBehindAsksForTheNextBatchAsSoonAsOneArrives() {
        PaxosNode n = node(THREE, "n2");
        n.tick();
        n.step("n1", new PaxosMsg.Heartbeat(b(1, 1), 5)); // asks for 0.. (the test above)
        Output first = n.step("n1", new PaxosMsg.CatchUpReply(0, List.of(
                new PValue(b(1, 1), 0, value("a", 1)), new PValue(b(1, 1), 1, value("b", 1))), 0, null));
        assertEquals(List.of(new Envelope("n1", new PaxosMsg.CatchUp(2))), first.sends(),
                "still behind slot 5: the next batch at once, not at the next heartbeat");
        Output rest = n.step("n1", new PaxosMsg.CatchUpReply(2, List.of(new PValue(b(1, 1), 2, value("c", 1)),
                new PValue(b(1, 1), 3, value("d", 1)), new PValue(b(1, 1), 4, value("e", 1))), 0, null));
        assertTrue(rest.sends().stream().noneMatch(e -> e.message() instanceof PaxosMsg.CatchUp), "caught up: no more");
        assertTrue(n.step("n1", new PaxosMsg.CatchUpReply(2, List.of(), 0, null)).sends().isEmpty(),
                "an answer that brings nothing asks nothing: no loop between two nodes");
    }

    @Test
    void aCandidateBehindAnAcceptorsCheckpointCatchesUpInsteadOfLeading() {
        PaxosNode n = node(THREE, "n1");
        PaxosMsg.Prepare p = messages(tickUntilPrepare(n), PaxosMsg.Prepare.class).get(0);
        Output out = n.step("n2", new PaxosMsg.Promise(p.ballot(), p.fromSlot(), List.of(), 10));
        assertEquals(List.of(new Envelope("n2", new PaxosMsg.CatchUp(0))), out.sends());
        assertFalse(n.isLeader());
        n.step("n3", new PaxosMsg.Promise(p.ballot(), p.fromSlot(), List.of(), 0));
        assertFalse(n.isLeader(), "it stepped down to catch up first");
    }

    @Test
    void aFollowerForwardsAClientRequestToTheLeaderItKnows() {
        PaxosNode n = node(THREE, "n2");
        Request req = new Request("c", 1, new Op.Lock("x"));
        Output parked = n.step("c", new PaxosMsg.ClientRequest(req));
        assertTrue(parked.sends().isEmpty(), "no leader known: parked");
        Output hb = n.step("n1", new PaxosMsg.Heartbeat(b(1, 1), 0));
        assertEquals(List.of(new Envelope("n1", new PaxosMsg.ClientRequest(req))), hb.sends());
        Output again = n.step("c", new PaxosMsg.ClientRequest(req));
        assertEquals(List.of(new Envelope("n1", new PaxosMsg.ClientRequest(req))), again.sends());
        assertNotNull(n.leaderId());
    }

    @Test
    void anAcceptorThatCheckpointedASlotAwayCatchesUpTheProposerInsteadOfAcceptingIt() {
        PaxosConfig every2 = new PaxosConfig(THREE, 2, 10, 4, 40, 3, 8, 4, 2, 8);
        PaxosNode n = new PaxosNode(every2, "n2", new LockTable(), new Random(1));
        n.step("n1", new PaxosMsg.Decide(0, value("a", 1)));
        Output cp = n.step("n1", new PaxosMsg.Decide(1, value("b", 1)));
        assertTrue(cp.rewriting(), "a checkpoint at slot 2 rewrites the log");
        assertEquals(2, n.acceptor().forgottenBelow());

        Output out = n.step("n1", new PaxosMsg.Accept(b(1, 1), List.of(new PValue(b(1, 1), 1, value("c", 1)))));
        PaxosMsg.CatchUpReply catchUp = n.replica().catchUp(1, 8);
        assertEquals(2, catchUp.checkpointSlot());
        assertEquals(List.of(new Envelope("n1", new PaxosMsg.Accepted(b(1, 1), List.of())), new Envelope("n1", catchUp)),
                out.sends());
    }

    /**
     * A refused proposer sending Accepts below this acceptor's checkpoint gets one catch-up a
     * retransmit interval; the current leader, one for each: a reply of up to a frame for every
     * Accept of a stale leader behind a partition piled up in memory (750 of them) until the node ran
     * out of heap.
     */
    @Test
    void acceptsBelowTheCheckpointFromAStaleProposerGetOneCatchUpAnInterval() {
        PaxosConfig every2 = new PaxosConfig(THREE, 2, 10, 4, 40, 3, 8, 4, 2, 8);
        PaxosNode n = new PaxosNode(every2, "n2", new LockTable(), new Random(1));
        n.step("n1", new PaxosMsg.Decide(0, value("a", 1)));
        n.step("n1", new PaxosMsg.Decide(1, value("b", 1)));
        assertEquals(2, n.acceptor().forgottenBelow());
        PaxosMsg.Accept below = new PaxosMsg.Accept(b(1, 1), List.of(new PValue(b(1, 1), 1, value("c", 1))));
        for (int i = 0; i < 3; i++) {
            assertEquals(1, messages(n.step("n1", below), PaxosMsg.CatchUpReply.class).size(), "the leader, each time");
        }
        n.step("n3", new PaxosMsg.Prepare(b(2, 3), 0)); // n3 campaigns: n1's ballot is now stale here
        Output refused = n.step("n1", below);
        assertEquals(1, messages(refused, PaxosMsg.Nack.class).size());
        assertEquals(1, messages(refused, PaxosMsg.CatchUpReply.class).size(), "a stale proposer is caught up too");
        for (int i = 0; i < 50; i++) {
            assertTrue(messages(n.step("n1", below), PaxosMsg.CatchUpReply.class).isEmpty(),
                    "but once an interval, however many Accepts it sends");
        }
        for (int t = 0; t < every2.retransmitTicks(); t++) {
            n.tick();
        }
        assertEquals(1, messages(n.step("n1", below), PaxosMsg.CatchUpReply.class).size(), "the next interval");
    }

    @Test
    void aLeaderStopsProposingSlotsItLearnsDecidedByACatchUp() {
        PaxosNode n = node(THREE, "n1");
        Ballot mine = elect(n);
        n.step("c", new PaxosMsg.ClientRequest(new Request("c", 1, new Op.Lock("x"))));
        n.endOfRound();
        // n2 and n3 decided slots 0 and 1 without n1 and checkpointed them; n2 catches n1 up.
        PaxosNode other = new PaxosNode(new PaxosConfig(THREE, 2, 10, 4, 40, 3, 8, 4, 2, 8), "n2", new LockTable(),
                new Random(2));
        other.step("n3", new PaxosMsg.Decide(0, value("a", 1)));
        other.step("n3", new PaxosMsg.Decide(1, value("b", 1)));
        n.step("n2", other.replica().catchUp(0, 8));
        assertEquals(2, n.replica().slotOut());
        for (int i = 0; i < 20; i++) {
            assertTrue(messages(n.tick(), PaxosMsg.Accept.class).isEmpty(), "slot 0 is decided: no retransmission");
        }
        Request next = new Request("d", 1, new Op.Lock("y"));
        n.step("d", new PaxosMsg.ClientRequest(next));
        Output proposed = n.endOfRound();
        assertEquals(new PaxosMsg.Accept(mine, List.of(new PValue(mine, 2, new Value(List.of(next))))),
                messages(proposed, PaxosMsg.Accept.class).get(0), "the next proposal goes above what it learned");
        n.step("c", new PaxosMsg.ClientRequest(new Request("c", 1, new Op.Lock("x"))));
        assertTrue(receivers(n.endOfRound(), PaxosMsg.Accept.class).isEmpty(), "a partial batch waits for slot 2");
        n.step("n2", new PaxosMsg.Accepted(mine, List.of(2L)));
        Output retry = n.endLinger();
        assertEquals(List.of("n2", "n3"), receivers(retry, PaxosMsg.Accept.class), "the dropped request is proposed again");
        assertEquals(3, messages(retry, PaxosMsg.Accept.class).get(0).entries().get(0).slot());
    }

    /**
     * Found by the simulator (seed 1045): a candidate that applies and checkpoints slots while it
     * campaigns must not propose them again. Its own acceptor forgot them and would never vote, so
     * with one peer down those proposals could never win and would hold the window shut for good.
     */
    @Test
    void aLeaderDoesNotReproposeSlotsItAppliedWhileCampaigning() {
        PaxosConfig window2 = new PaxosConfig(THREE, 2, 10, 4, 40, 3, 2, 4, 2, 8);
        PaxosNode n = new PaxosNode(window2, "n1", new LockTable(), new Random(1));
        PaxosMsg.Prepare p = messages(tickUntilPrepare(n), PaxosMsg.Prepare.class).get(0);
        n.step("n2", new PaxosMsg.Decide(0, value("a", 1)));
        n.step("n2", new PaxosMsg.Decide(1, value("b", 1)));
        assertEquals(2, n.acceptor().forgottenBelow(), "slots 0 and 1 are applied and checkpointed away");
        Ballot old = b(0, 2);
        Output won = n.step("n2", new PaxosMsg.Promise(p.ballot(), p.fromSlot(),
                List.of(new PValue(old, 0, value("a", 1)), new PValue(old, 1, value("b", 1))), 0));
        assertTrue(n.isLeader());
        assertTrue(messages(won, PaxosMsg.NewView.class).get(0).entries().isEmpty(), "nothing left to re-propose");
        Request next = new Request("c", 1, new Op.Lock("y"));
        n.step("c", new PaxosMsg.ClientRequest(next));
        Output proposed = n.endOfRound();
        assertEquals(new PaxosMsg.Accept(p.ballot(), List.of(new PValue(p.ballot(), 2, new Value(List.of(next))))),
                messages(proposed, PaxosMsg.Accept.class).get(0), "the window is open, above the applied slots");
    }

    @Test
    void aLeaderThatStepsDownNoLongerNamesItselfLeaderAndParksClientRequests() {
        PaxosNode n = node(THREE, "n1");
        Ballot mine = elect(n);
        n.step("n2", new PaxosMsg.Nack(mine, b(mine.round() + 1, 3)));
        assertEquals(null, n.leaderId());
        Request req = new Request("c", 1, new Op.Lock("x"));
        assertTrue(n.step("c", new PaxosMsg.ClientRequest(req)).sends().isEmpty());
        Output hb = n.step("n3", new PaxosMsg.Heartbeat(b(mine.round() + 1, 3), 0));
        assertEquals(List.of(new Envelope("n3", new PaxosMsg.ClientRequest(req))), hb.sends(),
                "the parked request goes to the new leader");
    }

    @Test
    void theNextElectionAfterANackGoesAboveTheBallotTheNackReported() {
        PaxosNode n = node(THREE, "n1");
        PaxosMsg.Prepare p = messages(tickUntilPrepare(n), PaxosMsg.Prepare.class).get(0);
        n.step("n2", new PaxosMsg.Nack(p.ballot(), b(9, 2)));
        assertEquals(new PaxosMsg.Prepare(b(10, 1), 0), messages(tickUntilPrepare(n), PaxosMsg.Prepare.class).get(0));
    }
}
