package synod.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import synod.app.Op;
import synod.core.Message;
import synod.paxos.Ballot;
import synod.paxos.PValue;
import synod.paxos.PaxosMsg;
import synod.paxos.Request;
import synod.paxos.Value;

/**
 * The edge (ARCHITECTURE "The edge"): a frame that decodes to a message a core must not see is
 * refused where it is decoded. A bad client request becomes a {@link MessageCheck.BadRequest} (the
 * node answers it and proposes nothing); a bad peer message is a FrameException (the connection
 * closes). The poison pills a harness found are fixed cases here.
 */
class MessageCheckTest {
    final FrameCodec codec = new FrameCodec(1 << 20, new MessageCheck(1 << 20, 3));

    Message decode(String json) throws FrameCodec.FrameException {
        return codec.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    static String request(String fields) {
        return "{\"type\":\"ClientRequest\",\"request\":{" + fields + "}}";
    }

    static String op(String op) {
        return request("\"client\":\"c1\",\"seq\":4,\"op\":" + op);
    }

    MessageCheck.BadRequest refused(String json, String reason) throws Exception {
        Message m = decode(json);
        MessageCheck.BadRequest b = assertInstanceOf(MessageCheck.BadRequest.class, m, json);
        assertTrue(b.reason().startsWith("bad request: ") && b.reason().contains(reason),
                json + ": expected a reason naming '" + reason + "', got '" + b.reason() + "'");
        return b;
    }

    @Test
    void aClientMayNotSpeakForTwoPhaseCommit() throws Exception {
        // a forged 2PC step proposed as a client request would decide a commit no coordinator made
        MessageCheck.BadRequest b = refused(op("{\"op\":\"2pc\",\"entry\":{\"step\":\"decide\",\"txid\":\"1.1\","
                + "\"commit\":true,\"outcome\":null,\"watermark\":0}}"), "2pc");
        assertEquals("c1", b.client());
    }

    @Test
    void aKeyValueTransactionTheStoreCouldNotApplyIsRefusedAtTheEdge() throws Exception {
        String put = "{\"w\":\"put\",\"item\":\"a\",\"value\":\"1\"}";
        assertInstanceOf(PaxosMsg.ClientRequest.class, decode(op("{\"op\":\"txn\",\"steps\":[" + put
                + ",{\"w\":\"absent\",\"item\":\"b\"}]}")));
        refused(op("{\"op\":\"txn\",\"steps\":[]}"), "no steps");
        refused(op("{\"op\":\"txn\",\"steps\":null}"), "no steps");
        refused(op("{\"op\":\"txn\",\"steps\":[" + put + "," + put + "]}"), "a key is written twice");
        refused(op("{\"op\":\"txn\",\"steps\":[{\"w\":\"absent\",\"item\":\"a\"},{\"w\":\"expect\","
                + "\"item\":\"a\",\"value\":\"1\"}]}"), "a key is guarded twice");
        assertInstanceOf(PaxosMsg.ClientRequest.class, decode(op("{\"op\":\"txn\",\"steps\":[{\"w\":\"absent\","
                + "\"item\":\"a\"}," + put + "]}")), "a guard and a write of one key: a compare-and-set");
        refused(op("{\"op\":\"txn\",\"steps\":[{\"w\":\"debit\",\"item\":\"a\",\"amount\":5}]}"),
                "not a put, del or expect");
        refused(op("{\"op\":\"txn\",\"steps\":[null]}"), "not a put, del or expect");
        refused(op("{\"op\":\"txn\",\"steps\":[{\"w\":\"put\",\"item\":\"a\"}]}"), "value is missing");
        refused(op("{\"op\":\"txn\",\"steps\":[{\"w\":\"expect\",\"item\":\"a\"}]}"), "value is missing");
        refused(op("{\"op\":\"txn\",\"steps\":[{\"w\":\"del\",\"item\":\"\\u0001\"}]}"), "control character");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= synod.txn.TxnCheck.WRITES_MAX; i++) {
            many.append(i == 0 ? "" : ",").append("{\"w\":\"del\",\"item\":\"k").append(i).append("\"}");
        }
        refused(op("{\"op\":\"txn\",\"steps\":[" + many + "]}"), "more than 64 steps");
    }

    @Test
    void aTransactionLeavesRoomInItsRequestForTheTwoPhaseCommitEntryThatCarriesItsSteps() throws Exception {
        int frame = 4096;
        FrameCodec small = new FrameCodec(frame, new MessageCheck(frame, 3));
        int budget = synod.paxos.WireSize.requestBudget(frame);
        // a put of one value as large as a request may be is fine alone, not inside a transaction
        String value = "v".repeat(budget - 200);
        Message alone = small.decode(op("{\"op\":\"put\",\"key\":\"a\",\"value\":\"" + value + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        assertInstanceOf(PaxosMsg.ClientRequest.class, alone);
        Message txn = small.decode(op("{\"op\":\"txn\",\"steps\":[{\"w\":\"put\",\"item\":\"a\",\"value\":\""
                + value + "\"}]}").getBytes(StandardCharsets.UTF_8));
        MessageCheck.BadRequest b = assertInstanceOf(MessageCheck.BadRequest.class, txn);
        assertTrue(b.reason().contains("a request of a transaction may take"), b.reason());
        assertEquals(budget - synod.paxos.WireSize.TXN_ENTRY_WRAP, MessageCheck.requestBytesMax(frame,
                new Op.KvTxn(List.of(new synod.txn.TxnOp.Delete("a")))));
    }

    @Test
    void theHarnessPoisonPillsAreRefusedWithAnAnswer() throws Exception {
        assertEquals(new MessageCheck.BadRequest("c1", 4, "bad request: the key is missing"),
                decode(op("{\"op\":\"put\",\"key\":null,\"value\":\"v\"}")));
        refused(op("{\"op\":\"put\",\"value\":\"v\"}"), "the key is missing");
        refused(op("{\"op\":\"get\"}"), "the key is missing");
        refused(op("{\"op\":\"delete\",\"key\":null}"), "the key is missing");
        refused(op("{\"op\":\"lock\",\"lock\":null}"), "the lock name is missing");
        refused(op("{\"op\":\"unlock\"}"), "the lock name is missing");
        refused(op("null"), "the op is missing");
        refused(request("\"client\":\"c1\",\"seq\":4"), "the op is missing");
        assertEquals(new MessageCheck.BadRequest(null, 0, "bad request: the request is missing"),
                decode("{\"type\":\"ClientRequest\",\"request\":null}"));
        refused("{\"type\":\"ClientRequest\"}", "the request is missing");
        MessageCheck.BadRequest noClient = refused(request("\"seq\":4,\"op\":{\"op\":\"lock\",\"lock\":\"x\"}"),
                "the client id is missing");
        assertEquals(4, noClient.seq());
        refused(request("\"client\":null,\"seq\":4,\"op\":{\"op\":\"lock\",\"lock\":\"x\"}"), "the client id is missing");
    }

    @Test
    void aLoneSurrogateIsRefusedAndAnIdThatHoldsOneIsNotEchoed() throws Exception {
        refused(op("{\"op\":\"put\",\"key\":\"k\",\"value\":\"\\ud800\"}"), "the value is not valid UTF-16");
        refused(op("{\"op\":\"put\",\"key\":\"\\udc00k\",\"value\":\"v\"}"), "the key is not valid UTF-16");
        MessageCheck.BadRequest b = refused(request("\"client\":\"c\\ud800\",\"seq\":2,\"op\":{\"op\":\"get\",\"key\":\"k\"}"),
                "the client id is not valid UTF-16");
        assertNull(b.client(), "an id that is not valid UTF-16 cannot be written back");
        assertEquals(2, b.seq());
        Message fine = decode(op("{\"op\":\"put\",\"key\":\"\\ud83d\\ude00\",\"value\":\"a pair \\ud83d\\ude00 is fine\"}"));
        assertInstanceOf(PaxosMsg.ClientRequest.class, fine);
    }

    @Test
    void clientIdsAndNamesAreBoundedPrintableAndNotTheNodesOwn() throws Exception {
        assertEquals("#txn", refused(request("\"client\":\"#txn\",\"seq\":1,\"op\":{\"op\":\"get\",\"key\":\"k\"}"),
                "reserved").client(), "the client knows its own id and matches the answer by it");
        refused(request("\"client\":\"a/b\",\"seq\":1,\"op\":{\"op\":\"get\",\"key\":\"k\"}"), "reserved");
        refused(request("\"client\":\"\",\"seq\":1,\"op\":{\"op\":\"get\",\"key\":\"k\"}"), "the client id is empty");
        refused(request("\"client\":\"" + "c".repeat(65) + "\",\"seq\":1,\"op\":{\"op\":\"get\",\"key\":\"k\"}"),
                "longer than 64");
        refused(request("\"client\":\"c\\n\",\"seq\":1,\"op\":{\"op\":\"get\",\"key\":\"k\"}"), "control character");
        refused(request("\"client\":\"c\",\"seq\":-1,\"op\":{\"op\":\"get\",\"key\":\"k\"}"), "negative");
        refused(op("{\"op\":\"get\",\"key\":\"k\\u0000\"}"), "the key holds a control character");
        refused(op("{\"op\":\"lock\",\"lock\":\"" + "x".repeat(257) + "\"}"), "longer than 256");
        refused(op("{\"op\":\"transfer\",\"from\":\"A\",\"amount\":1}"), "the account is missing");
        refused(op("{\"op\":\"balance\",\"account\":\"\\u007f\"}"), "control character");
        refused(op("{\"op\":\"open\",\"accounts\":[\"A\"],\"balance\":-5}"), "negative");
        refused(op("{\"op\":\"open\",\"accounts\":[\"A\\t\"],\"balance\":5}"), "control character");
        assertInstanceOf(PaxosMsg.ClientRequest.class, decode(op("{\"op\":\"put\",\"key\":\"k\",\"value\":\"line\\nbreak\"}")),
                "a value may hold any valid text");
    }

    @Test
    void aPlacementMustNameRangesAGroupCanHold() throws Exception {
        assertInstanceOf(PaxosMsg.ClientRequest.class,
                decode(op("{\"op\":\"place\",\"ranges\":[{\"first\":\"1\",\"last\":\"9\",\"group\":1}]}")));
        refused(op("{\"op\":\"place\",\"ranges\":[{\"first\":null,\"last\":\"9\",\"group\":1}]}"), "first item");
        refused(op("{\"op\":\"place\",\"ranges\":[{\"first\":\"1\",\"group\":1}]}"), "last item");
        refused(op("{\"op\":\"place\",\"ranges\":[{\"first\":\"1\",\"last\":\"9\",\"group\":0}]}"), "group");
    }

    @Test
    void everyOpTypeIsEitherAllowedFromClientsOrDeliberatelyNot() {
        // A new op type must be placed on one side: until it is listed, clients cannot send it.
        Set<Class<?>> all = new HashSet<>(Arrays.asList(Op.class.getPermittedSubclasses()));
        Set<Class<?>> placed = new HashSet<>(ClientRules.FROM_CLIENTS);
        placed.addAll(ClientRules.NOT_FROM_CLIENTS);
        assertEquals(all, placed, "each Op subtype is in ClientRules.FROM_CLIENTS or NOT_FROM_CLIENTS");
    }

    @Test
    void aRequestThatDoesNotDecodeIsStillAnsweredWhenItsNameCanBeRead() throws Exception {
        MessageCheck.BadRequest b = refused(op("{\"op\":\"frobnicate\",\"key\":\"k\"}"), "does not decode");
        assertEquals("c1", b.client());
        assertEquals(4, b.seq());
        refused(request("\"client\":\"c1\",\"seq\":4,\"op\":{\"op\":\"put\",\"key\":\"k\",\"value\":\"v\",\"x\":1}"),
                "does not decode");
        // no coercion: a number, a fraction or a boolean where text belongs is not that text
        refused(op("{\"op\":\"put\",\"key\":5,\"value\":\"v\"}"), "does not decode");
        refused(op("{\"op\":\"get\",\"key\":true}"), "does not decode");
        refused(op("{\"op\":\"lock\",\"lock\":1.5}"), "does not decode");
        refused(op("{\"op\":\"transfer\",\"from\":\"A\",\"to\":\"B\",\"amount\":\"5\"}"), "does not decode");
        assertThrows(FrameCodec.FrameException.class, () -> decode(request("\"client\":5,\"seq\":4")),
                "a client id that is a number names nobody to answer");
        assertThrows(FrameCodec.FrameException.class, () -> decode(request("\"client\":\"c1\",\"seq\":\"4\"")),
                "without a request number that reads as one, there is nobody to answer");
    }

    static final Ballot B = new Ballot(3, 2);
    static final Value V = new Value(List.of(new Request("c1", 1, new Op.Lock("0"))));

    void closes(String json, String reason) {
        FrameCodec.FrameException e = assertThrows(FrameCodec.FrameException.class, () -> decode(json), json);
        assertTrue(e.getMessage().contains(reason), json + ": expected '" + reason + "' in '" + e.getMessage() + "'");
    }

    @Test
    void aPeerMessageWithAFieldMissingClosesTheConnection() {
        closes("{\"type\":\"Accept\",\"ballot\":null,\"entries\":[]}", "Accept.ballot is missing");
        closes("{\"type\":\"Accept\",\"ballot\":{\"round\":1,\"node\":1}}", "Accept.entries is missing");
        closes("{\"type\":\"Accept\",\"ballot\":{\"round\":1,\"node\":1},\"entries\":[{\"ballot\":{\"round\":1,\"node\":1},"
                + "\"slot\":0}]}", "PValue.value is missing");
        closes("{\"type\":\"Decide\",\"slot\":0,\"value\":{\"requests\":[null]}}", "malformed");
        closes("{\"type\":\"Decide\",\"slot\":0,\"value\":{}}", "malformed");
        closes("{\"type\":\"Accepted\",\"ballot\":{\"round\":1,\"node\":1},\"slots\":[1,null]}", "a list holds a null");
        closes("{\"type\":\"CatchUpReply\",\"fromSlot\":0,\"checkpointSlot\":0}", "CatchUpReply.decided is missing");
        closes("{\"type\":\"Promise\",\"ballot\":{\"round\":1,\"node\":1},\"fromSlot\":0,\"checkpointSlot\":0,\"part\":0,\"parts\":1}",
                "Promise.accepted is missing");
        closes("{\"type\":\"Hello\",\"port\":1}", "Hello.from is missing");
        closes("{\"type\":\"Query\",\"seq\":1,\"arg\":0}", "Query.what is missing");
    }

    @Test
    void absurdBallotsAndSlotsCloseTheConnection() {
        String accept = "{\"type\":\"Accept\",\"ballot\":%s,\"entries\":[{\"ballot\":{\"round\":1,\"node\":1},\"slot\":%d,"
                + "\"value\":{\"requests\":[]}}]}";
        closes(String.format(accept, "{\"round\":" + (Long.MAX_VALUE - 1) + ",\"node\":1}", 0), "ballot");
        closes(String.format(accept, "{\"round\":1099511627776,\"node\":1}", 0), "ballot"); // 2^40
        closes(String.format(accept, "{\"round\":5,\"node\":0}", 0), "ballot");
        closes(String.format(accept, "{\"round\":5,\"node\":4}", 0), "ballot"); // a group of 3 has no node 4
        closes(String.format(accept, "{\"round\":-1,\"node\":1}", 0), "ballot");
        closes(String.format(accept, "{\"round\":1,\"node\":1}", -1), "slot -1");
        closes(String.format(accept, "{\"round\":1,\"node\":1}", Long.MAX_VALUE), "slot");
        closes("{\"type\":\"Prepare\",\"ballot\":{\"round\":1,\"node\":1},\"fromSlot\":-5}", "fromSlot -5");
        closes("{\"type\":\"Heartbeat\",\"ballot\":{\"round\":1,\"node\":1},\"commitSlot\":" + Long.MAX_VALUE + "}",
                "commitSlot");
        closes("{\"type\":\"CatchUp\",\"fromSlot\":-1}", "fromSlot");
        closes("{\"type\":\"Decide\",\"slot\":-3,\"value\":null}", "slot -3");
        closes("{\"type\":\"Accepted\",\"ballot\":{\"round\":1,\"node\":1},\"slots\":[-1]}", "slot -1");
        closes("{\"type\":\"SetDropRate\",\"rate\":2.5,\"seed\":1}", "rate");
        closes("{\"type\":\"SetDelay\",\"delayMicros\":-1,\"jitterMicros\":0,\"seed\":1}", "delayMicros");
        closes("{\"type\":\"SetDelay\",\"delayMicros\":0,\"jitterMicros\":60000001,\"seed\":1}", "jitterMicros");
        closes("{\"type\":\"Reset\",\"groups\":0,\"replicas\":3}", "groups");
        closes("{\"type\":\"Reset\",\"groups\":3,\"replicas\":-1}", "replicas");
        closes("{\"type\":\"Reset\",\"groups\":999,\"replicas\":999}", "groups x replicas"); // not a million nodes' lists
        closes("{\"type\":\"Reset\",\"groups\":3}", "malformed"); // a number missing
        closes("{\"type\":\"Hello\",\"from\":\"n\\ud8001\",\"port\":1}", "UTF-16");
        closes("{\"type\":\"Hello\",\"from\":\"\",\"port\":1}", "empty");
        closes("{\"type\":\"Hello\",\"from\":\"n1\",\"port\":70000}", "port");
        closes("{\"type\":\"CatchUpReply\",\"fromSlot\":0,\"decided\":[],\"checkpointSlot\":4,\"checkpoint\":{\"slot\":4}}",
                "checkpoint");
    }

    @Test
    void aStringThatIsNotValidUtf16InAPeerMessageClosesTheConnection() {
        closes("{\"type\":\"SetLive\",\"live\":[\"n1\",\"n\\udfff\"]}", "UTF-16");
        closes("{\"type\":\"QueryReply\",\"seq\":1,\"lines\":[\"\\ud800\"]}", "UTF-16");
    }

    /**
     * A request is checked where a client hands it in; inside a peer's value only its presence is
     * required, so a log written before the edge, poison pills and all, still replicates (the
     * services refuse what they cannot apply).
     */
    @Test
    void whatARequestInsideAPeersValueHoldsIsTheServicesBusiness() throws Exception {
        for (String request : List.of("{\"client\":\"c\",\"seq\":1}", "{\"client\":null,\"seq\":1,\"op\":null}",
                "{\"client\":\"c\",\"seq\":1,\"op\":{\"op\":\"put\",\"value\":\"v\"}}",
                "{\"client\":\"c\",\"seq\":1,\"op\":{\"op\":\"put\",\"key\":\"k\",\"value\":\"\\udfff\"}}")) {
            Message m = decode("{\"type\":\"Decide\",\"slot\":0,\"value\":{\"requests\":[" + request + "]}}");
            assertInstanceOf(PaxosMsg.Decide.class, m, request);
        }
    }

    @Test
    void wellFormedPeerMessagesPass() throws Exception {
        for (Message m : List.of(new PaxosMsg.Accept(B, List.of(new PValue(B, 0, V))),
                new PaxosMsg.Nack(B, Ballot.ZERO), new PaxosMsg.Decide(3, null),
                new PaxosMsg.Prepare(new Ballot(MessageCheck.ROUND_MAX - 1, 3), MessageCheck.SLOT_MAX),
                new PaxosMsg.CatchUpReply(0, List.of(new PValue(Ballot.ZERO, 0, V)), 0, null))) {
            java.nio.ByteBuffer frame = codec.encode(m);
            byte[] body = new byte[frame.getInt()];
            frame.get(body);
            assertEquals(m, codec.decode(body));
        }
    }
}
