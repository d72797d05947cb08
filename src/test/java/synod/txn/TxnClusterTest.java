package synod.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import synod.app.Op;
import synod.app.Result;
import synod.app.Services;
import synod.core.Envelope;
import synod.core.Message;
import synod.core.Output;
import synod.paxos.PaxosConfig;
import synod.paxos.PaxosMsg;
import synod.paxos.PaxosNode;
import synod.paxos.Request;

/**
 * Two groups of three real Paxos cores with their 2PC agents on a perfect network (every message
 * delivered in order, nothing lost): the plain paths of a transfer across groups, step by step.
 * The seeded simulation covers faults; this pins the outcomes.
 */
class TxnClusterTest {
    private final List<List<String>> layout = List.of(List.of("n1", "n2", "n3"), List.of("n4", "n5", "n6"));
    private final TreeMap<String, PaxosNode> nodes = new TreeMap<>();
    private final TreeMap<String, Services> services = new TreeMap<>();
    private final ArrayDeque<Envelope> wire = new ArrayDeque<>();
    private final ArrayDeque<String> wireFrom = new ArrayDeque<>();
    private final TreeMap<String, List<Result>> answers = new TreeMap<>();
    private long seq = 0;

    TxnClusterTest() {
        for (int g = 1; g <= 2; g++) {
            for (String id : layout.get(g - 1)) {
                Services s = new Services(g, layout.size());
                PaxosNode n = new PaxosNode(PaxosConfig.of(layout.get(g - 1)), id, s, new Random(id.hashCode()));
                n.enableTxn(layout, g, s.txns(), TxnAgent.Timing.DEFAULT);
                nodes.put(id, n);
                services.put(id, s);
            }
        }
        run(200); // leaders elected
        List<Op.Range> ranges = List.of(new Op.Range("1", "3000", 1), new Op.Range("3001", "6000", 2));
        for (int g = 1; g <= 2; g++) {
            request("opener", g, new Op.Open(g == 1 ? List.of("1", "2") : List.of("3001", "3002"), 10));
            request("placer", g, new Op.Place(ranges));
        }
        run(100);
    }

    /** Sends the request to every node of the group, as a client that knows no leader does. */
    private void request(String client, int g, Op op) {
        Request r = new Request(client, ++seq, op);
        for (String id : layout.get(g - 1)) {
            deliver(client, id, new PaxosMsg.ClientRequest(r));
        }
    }

    private void deliver(String from, String to, Message m) {
        PaxosNode n = nodes.get(to);
        if (n != null) {
            route(to, n.step(from, m));
        }
    }

    private void route(String from, Output out) {
        List<Envelope> all = new ArrayList<>(out.earlySends());
        all.addAll(out.sends());
        for (Envelope e : all) {
            wire.add(e);
            wireFrom.add(from);
        }
    }

    private void run(int ticks) {
        for (int t = 0; t < ticks; t++) {
            for (var e : nodes.entrySet()) {
                route(e.getKey(), e.getValue().tick());
            }
            while (!wire.isEmpty()) {
                Envelope e = wire.poll();
                String from = wireFrom.poll();
                if (nodes.containsKey(e.to())) {
                    PaxosNode n = nodes.get(e.to());
                    route(e.to(), n.step(from, e.message()));
                    route(e.to(), n.endOfRound());
                } else if (e.message() instanceof PaxosMsg.ClientReply r) {
                    answers.computeIfAbsent(r.client(), k -> new ArrayList<>()).add(r.result());
                }
            }
        }
    }

    private long balance(String node, String item) {
        return services.get(node).bank().balance(item);
    }

    @Test
    void aTransferAcrossGroupsCommitsOnBothSidesAndReleasesItsLocks() {
        request("1", 1, new Op.Transfer("1", "3001", 4));
        run(100);
        assertInstanceOf(Result.Committed.class, answers.get("1").get(0));
        for (String id : layout.get(0)) {
            assertEquals(6, balance(id, "1"), id);
            assertNull(services.get(id).txns().lockHolder("1"));
            assertEquals(0, services.get(id).txns().coords().size(), id + ": acknowledged, so forgotten");
        }
        for (String id : layout.get(1)) {
            assertEquals(14, balance(id, "3001"), id);
            assertNull(services.get(id).txns().lockHolder("3001"));
        }
    }

    @Test
    void aTransferTheSenderCannotAffordFailsWithoutTwoPhaseCommit() {
        request("2", 1, new Op.Transfer("2", "3002", 11));
        run(50);
        assertInstanceOf(Result.Insufficient.class, answers.get("2").get(0));
        assertEquals(10, balance("n5", "3002"));
    }

    @Test
    void aTransferToAnItemNobodyHoldsIsRefusedByTheParticipantAndUndone() {
        request("1", 1, new Op.Transfer("1", "4000", 3)); // in group 2's range, but never opened
        run(100);
        Result r = answers.get("1").get(0);
        assertInstanceOf(Result.Aborted.class, r);
        assertEquals("no account 4000", ((Result.Aborted) r).reason());
        for (String id : layout.get(0)) {
            assertEquals(10, balance(id, "1"), id + ": the debit is undone");
            assertNull(services.get(id).txns().lockHolder("1"));
        }
    }

    @Test
    void aParticipantGroupWithoutLeaderMakesTheCoordinatorTimeOut() {
        layout.get(1).forEach(nodes::remove); // group 2 is gone
        request("1", 1, new Op.Transfer("1", "3001", 3));
        run(400);
        Result r = answers.get("1").get(0);
        assertInstanceOf(Result.Aborted.class, r);
        assertEquals("2PC timeout: group 2 did not vote", ((Result.Aborted) r).reason());
        assertEquals(10, balance("n2", "1"));
        assertNull(services.get("n3").txns().lockHolder("1"));
    }

    // ---- resharding: moving an account between the groups ----

    @Test
    void aMoveTakesTheAccountWithItsBalanceToTheOtherGroupAndEveryNodeRoutesThere() {
        request("1", 1, new Op.Transfer("1", "3001", 4));
        run(100);
        request("r", 1, new Op.Move("1", 2));
        run(100);
        assertInstanceOf(Result.Committed.class, answers.get("r").get(0));
        for (String id : nodes.keySet()) {
            Services s = services.get(id);
            assertEquals(2, s.placement().groupOf("1"), id + " routes 1 to group 2");
            assertEquals(1, s.placement().version(), id);
            assertEquals(0, s.txns().lockCount(), id + " holds no lock");
            assertEquals(id.compareTo("n4") >= 0 ? Long.valueOf(6) : null, s.bank().balance("1"),
                    id + ": the account and its 6 are in group 2 only");
        }
        // the old group sends its client on; the new one serves it, within the group now
        request("1", 1, new Op.Transfer("1", "3001", 1));
        run(50);
        assertEquals(new Result.Elsewhere("1", 2), last("1"));
        request("1", 2, new Op.Transfer("1", "3001", 1));
        run(50);
        assertInstanceOf(Result.Committed.class, last("1"));
        assertEquals(5, balance("n5", "1"));
        assertEquals(15, balance("n6", "3001"));
        // and a transfer from group 1 to it is two-phase commit with group 2
        request("2", 1, new Op.Transfer("2", "1", 3));
        run(100);
        assertInstanceOf(Result.Committed.class, last("2"));
        assertEquals(8, balance("n4", "1"));
        assertEquals(7, balance("n1", "2"));
    }

    @Test
    void aMoveToAGroupWithoutLeaderTimesOutAndLeavesTheAccountWhereItWas() {
        layout.get(1).forEach(nodes::remove); // group 2 is gone
        request("r", 1, new Op.Move("2", 2));
        run(400);
        assertInstanceOf(Result.Aborted.class, answers.get("r").get(0));
        for (String id : layout.get(0)) {
            assertEquals(10, balance(id, "2"), id + " still holds 2");
            assertEquals(1, services.get(id).placement().groupOf("2"));
            assertNull(services.get(id).txns().lockHolder("2"));
        }
        request("2", 1, new Op.Transfer("2", "1", 1));
        run(50);
        assertInstanceOf(Result.Committed.class, last("2"));
    }

    @Test
    void aTransferOrReadMeetingAMovingAccountIsBusyUntilTheDecisionAndAnAbortTakesItBack() {
        Services s = new Services(2, 2); // group 2's state machine, prepared to take over 2 from group 1
        s.apply("opener", 1, new Op.Open(List.of("3001"), 10));
        s.apply("placer", 2, new Op.Place(List.of(new Op.Range("1", "3000", 1), new Op.Range("3001", "6000", 2))));
        s.apply("#2pc", 0, new Op.Txn(new TxnEntry.Prepare("1.1", List.of(new TxnOp.TakeOver("2", 10, 2)), 0)));
        assertEquals("1.1", s.txns().lockHolder("2"));
        assertEquals(Long.valueOf(10), s.bank().balance("2"), "taken over, tentatively");
        assertEquals(1, s.placement().groupOf("2"), "still group 1's until the decision");
        // group 1, once decided, sends clients here: sending them back would have them go round
        assertInstanceOf(Result.Busy.class, s.apply("x", 1, new Op.Balance("2")).result(), "a read waits for the decision");
        assertInstanceOf(Result.Busy.class, s.apply("x", 2, new Op.Transfer("2", "3001", 1)).result(),
                "as does a transfer from it");
        assertInstanceOf(Result.Busy.class, s.apply("x", 3, new Op.Move("2", 1)).result(), "and a move of it");
        s.apply("#2pc", 0, new Op.Txn(new TxnEntry.Decide("1.1", false, null, 0)));
        assertNull(s.bank().balance("2"), "the abort takes it back");
        assertNull(s.txns().lockHolder("2"));
        s.apply("#2pc", 0, new Op.Txn(new TxnEntry.Prepare("1.2", List.of(new TxnOp.TakeOver("2", 10, 2)), 0)));
        s.apply("#2pc", 0, new Op.Txn(new TxnEntry.Decide("1.2", true, null, 0)));
        assertEquals(2, s.placement().groupOf("2"));
        assertInstanceOf(Result.Committed.class, s.apply("3001", 2, new Op.Transfer("3001", "2", 1)).result());
        // a second move of it, prepared here as the giver: reads and transfers of it are busy until decided
        s.apply("r", 3, new Op.Move("2", 1));
        assertInstanceOf(Result.Busy.class, s.apply("3001", 4, new Op.Transfer("3001", "2", 1)).result());
        assertInstanceOf(Result.Busy.class, s.apply("x", 1, new Op.Balance("2")).result());
        assertEquals(Long.valueOf(11), s.bank().balance("2"));
    }

    @Test
    void aMoveSurvivesACheckpointAtBothEnds() {
        request("r", 1, new Op.Move("2", 2));
        run(100);
        assertInstanceOf(Result.Committed.class, answers.get("r").get(0));
        Services restored = new Services(2, 2);
        restored.restore(services.get("n5").snapshot());
        assertEquals(2, restored.placement().groupOf("2"), "the checkpoint carries the move");
        assertEquals(1, restored.placement().version());
        assertEquals(Long.valueOf(10), restored.bank().balance("2"));
        Services old = new Services(1, 2);
        old.restore(services.get("n2").snapshot());
        assertNull(old.bank().balance("2"), "and the giver's, the account gone");
        assertEquals(new Result.Elsewhere("2", 2), old.apply("x", 1, new Op.Balance("2")).result());
    }

    @Test
    void aMoveIsRefusedForAnAccountOfAnotherGroupOrToItsOwnGroup() {
        request("r", 2, new Op.Move("1", 2));
        run(50);
        assertEquals(new Result.Elsewhere("1", 1), last("r"));
        request("r", 1, new Op.Move("1", 1));
        run(50);
        assertInstanceOf(Result.Aborted.class, last("r"));
        request("r", 1, new Op.Move("1", 3));
        run(50);
        assertInstanceOf(Result.Aborted.class, last("r"));
        assertEquals(10, balance("n1", "1"));
    }

    // ---- the key-value store over the two groups: a, c live in group 1, b, d in group 2 (KvShard) ----

    private String value(String node, String key) {
        return services.get(node).kv().get(key);
    }

    private Result last(String client) {
        List<Result> rs = answers.get(client);
        return rs.get(rs.size() - 1);
    }

    @Test
    void theKeysOfTheseTestsLiveWhereTheyAreSaidTo() {
        assertEquals(List.of(1, 2, 1, 2), List.of("a", "b", "c", "d").stream()
                .map(k -> synod.app.KvShard.groupOf(k, 2)).toList());
    }

    @Test
    void aKeyValueTransactionAcrossGroupsCommitsOnBothSidesAndReleasesItsLocks() {
        request("t", 1, new Op.KvTxn(List.of(new TxnOp.Put("a", "1"), new TxnOp.Put("b", "2"),
                new TxnOp.ExpectAbsent("c"), new TxnOp.Delete("d"))));
        run(100);
        assertInstanceOf(Result.Committed.class, last("t"));
        for (String id : layout.get(0)) {
            assertEquals("1", value(id, "a"), id);
            assertNull(services.get(id).txns().lockHolder("a"));
            assertNull(services.get(id).txns().lockHolder("c"), id + ": a guard's lock goes with the decision");
            assertEquals(0, services.get(id).txns().coords().size(), id + ": acknowledged, so forgotten");
        }
        for (String id : layout.get(1)) {
            assertEquals("2", value(id, "b"), id);
            assertNull(services.get(id).txns().lockHolder("b"));
        }
    }

    @Test
    void aGuardThatDoesNotHoldAtAParticipantFailsTheTransactionAndChangesNothing() {
        request("kv", 2, new Op.Put("b", "5"));
        run(50);
        request("t", 1, new Op.KvTxn(List.of(new TxnOp.Put("a", "1"), new TxnOp.Expect("b", "6"),
                new TxnOp.Put("d", "4"))));
        run(100);
        assertEquals(new Result.Failed("b is 5"), last("t"));
        for (String id : layout.get(0)) {
            assertNull(value(id, "a"), id + ": the coordinator's tentative put is undone");
            assertNull(services.get(id).txns().lockHolder("a"));
        }
        for (String id : layout.get(1)) {
            assertEquals("5", value(id, "b"), id);
            assertNull(value(id, "d"), id);
            assertNull(services.get(id).txns().lockHolder("d"));
        }
    }

    @Test
    void aGuardThatDoesNotHoldAtTheCoordinatorFailsAtOnce() {
        request("t", 1, new Op.KvTxn(List.of(new TxnOp.Expect("a", "1"), new TxnOp.Put("b", "2"))));
        run(50);
        assertEquals(new Result.Failed("a is absent"), last("t"));
        assertNull(value("n5", "b"));
        assertEquals(0, services.get("n4").txns().parts().size(), "group 2 never heard of it");
    }

    @Test
    void aTransactionOfOneGroupsKeysIsOneEntryWithoutTwoPhaseCommit() {
        request("t", 1, new Op.KvTxn(List.of(new TxnOp.Put("a", "1"), new TxnOp.Put("c", "3"))));
        run(50);
        assertInstanceOf(Result.Committed.class, last("t"));
        for (String id : layout.get(0)) {
            assertEquals("1", value(id, "a"), id);
            assertEquals("3", value(id, "c"), id);
            assertEquals(1, services.get(id).txns().watermark(), id + ": no transaction was numbered");
        }
        request("t", 1, new Op.KvTxn(List.of(new TxnOp.Expect("a", "1"), new TxnOp.Expect("c", "4"),
                new TxnOp.Put("e", "5"))));
        run(50);
        assertEquals(new Result.Failed("c is 3"), last("t"));
        assertNull(value("n2", "e"));
    }

    @Test
    void aKeyOfAnotherGroupIsRefusedThere() {
        request("kv", 1, new Op.Put("b", "1"));
        run(50);
        assertEquals(new Result.Elsewhere("b", 2), last("kv"));
        assertNull(value("n1", "b"));
    }

    @Test
    void aReadOfAKeyATransactionHoldsIsBusyUntilTheDecision() {
        layout.get(1).forEach(nodes::remove); // group 2 never votes: group 1 holds a until its timeout
        request("t", 1, new Op.KvTxn(List.of(new TxnOp.Put("a", "1"), new TxnOp.Put("b", "2"))));
        run(20);
        request("r", 1, new Op.Get("a"));
        run(5);
        assertInstanceOf(Result.Busy.class, last("r"), "the tentative put is not readable");
        request("w", 1, new Op.Put("a", "9"));
        run(5);
        assertInstanceOf(Result.Busy.class, last("w"), "nor overwritten");
        run(400);
        assertEquals(new Result.Aborted("2PC timeout: group 2 did not vote"), last("t"));
        request("r", 1, new Op.Get("a"));
        run(20);
        assertEquals(new Result.NotFound("a"), last("r"));
    }

    @Test
    void aGuardAndAWriteOfOneKeyAreACompareAndSetInOneGroupAndAcross() {
        request("t", 1, new Op.KvTxn(List.of(new TxnOp.ExpectAbsent("a"), new TxnOp.Put("a", "1"))));
        run(50);
        assertInstanceOf(Result.Committed.class, last("t"));
        request("t", 1, new Op.KvTxn(List.of(new TxnOp.Put("a", "2"), new TxnOp.ExpectAbsent("a"))));
        run(50);
        assertEquals(new Result.Failed("a is 1"), last("t"), "the guard reads the value before the write");
        request("t", 1, new Op.KvTxn(List.of(new TxnOp.Expect("a", "1"), new TxnOp.Put("a", "2"),
                new TxnOp.Expect("b", "9"), new TxnOp.Put("b", "3"))));
        run(100);
        assertEquals(new Result.Failed("b is absent"), last("t"));
        assertEquals("1", value("n1", "a"), "undone from the guard's and the put's images");
        request("t", 1, new Op.KvTxn(List.of(new TxnOp.Expect("a", "1"), new TxnOp.Put("a", "2"),
                new TxnOp.ExpectAbsent("b"), new TxnOp.Put("b", "3"))));
        run(100);
        assertInstanceOf(Result.Committed.class, last("t"));
        assertEquals("2", value("n3", "a"));
        assertEquals("3", value("n6", "b"));
        assertNull(services.get("n4").txns().lockHolder("b"));
    }
}
