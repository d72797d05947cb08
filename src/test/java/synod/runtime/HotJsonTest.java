package synod.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import synod.app.Op;
import synod.core.Message;
import synod.paxos.Ballot;
import synod.paxos.Durable;
import synod.paxos.PValue;
import synod.paxos.PaxosMsg;
import synod.paxos.Request;
import synod.paxos.Value;

/** The hand-written serializers write exactly databind's bytes: frames and log records do not change. */
class HotJsonTest {
    private final ObjectMapper plain = new ObjectMapper();
    private final ObjectMapper hot = HotJson.registeredIn(new ObjectMapper());

    /** One request per op type (every permitted Op record), and the awkward strings a request may hold. */
    private static List<Request> requests() {
        List<Request> rs = new ArrayList<>();
        rs.add(new Request("c1", 1, new Op.Transfer("1", "3001", 5)));
        rs.add(new Request("q\"uo\\te\u0001\u00e9\u20ac\ud83d\ude00", Long.MAX_VALUE, new Op.Transfer("é", null, -1)));
        rs.add(new Request(null, 0, null));
        rs.add(new Request("#2pc/1.7/prepare", 0, new Op.Txn(new synod.txn.TxnEntry.Prepare("1.7",
                List.of(new synod.txn.TxnOp.Credit("3001", 2)), 4))));
        rs.add(new Request("#2pc/1.7/ack", 0, new Op.Txn(new synod.txn.TxnEntry.Ack("1.7", 2))));
        rs.add(new Request("c2", 2, new Op.Lock("l")));
        rs.add(new Request("c2", 3, new Op.Unlock("l")));
        rs.add(new Request("c3", 1, new Op.Open(List.of("1", "2"), 1000)));
        rs.add(new Request("c3", 2, new Op.Balance("1")));
        rs.add(new Request("c4", 1, new Op.Put("k", "v")));
        rs.add(new Request("c4", 2, new Op.Get("k")));
        rs.add(new Request("c4", 3, new Op.Delete("k")));
        rs.add(new Request("c5", 2, new Op.KvTxn(List.of(new synod.txn.TxnOp.Put("k", "v"),
                new synod.txn.TxnOp.ExpectAbsent("j")))));
        rs.add(new Request("c5", 1, new Op.Place(List.of(new Op.Range("1", "3000", 1)))));
        return rs;
    }

    @Test
    void everyOpTypeIsSampled() {
        List<Object> sampled = requests().stream().filter(r -> r.op() != null).map(r -> (Object) r.op().getClass())
                .distinct().toList();
        for (Class<?> c : Op.class.getPermittedSubclasses()) {
            assertEquals(true, sampled.contains(c), c.getSimpleName() + " has no sample here");
        }
        assertEquals(Arrays.asList(Op.class.getPermittedSubclasses()).size(), sampled.size());
    }

    @Test
    void framesAndRecordsAreDatabindsBytes() throws Exception {
        List<Request> rs = requests();
        Value v = new Value(rs);
        Ballot b = new Ballot(Long.MAX_VALUE, 7);
        List<PValue> pvs = List.of(new PValue(b, 9, v), new PValue(Ballot.ZERO, 0, Value.NOOP), new PValue(null, 1, null));
        List<Object> all = new ArrayList<>();
        all.add(new PaxosMsg.Accept(b, pvs));
        all.add(new PaxosMsg.Decide(9, v));
        all.add(new PaxosMsg.Decide(9, null));
        all.add(new PaxosMsg.NewView(b, 3, pvs));
        all.add(new PaxosMsg.Promise(b, 0, pvs, 0));
        all.add(new PaxosMsg.Heartbeat(b, 4));
        for (Request r : rs) {
            all.add(new PaxosMsg.ClientRequest(r));
        }
        all.add(new Durable.Accepted(pvs.get(0)));
        all.add(new Durable.Accepted(pvs.get(2)));
        all.add(new Durable.Promised(b));
        for (Object o : all) {
            Class<?> as = o instanceof Message ? Message.class : Durable.class;
            assertEquals(plain.writerFor(as).writeValueAsString(o), hot.writerFor(as).writeValueAsString(o),
                    o.getClass().getSimpleName());
            assertEquals(plain.writeValueAsString(o), hot.writeValueAsString(o), o.getClass().getSimpleName());
        }
        for (Request r : rs) {
            assertEquals(plain.writerFor(Op.class).writeValueAsString(r.op()),
                    hot.writerFor(Op.class).writeValueAsString(r.op()), "op of " + r);
            assertEquals(plain.writeValueAsString(r.op()), hot.writeValueAsString(r.op()), "op of " + r);
        }
    }

    /** What the node's codec writes decodes back to the same message, with the module in place. */
    @Test
    void theCodecStillRoundTrips() throws Exception {
        FrameCodec codec = new FrameCodec(1 << 20);
        Message m = new PaxosMsg.Accept(new Ballot(3, 1), List.of(new PValue(new Ballot(3, 1), 5,
                new Value(List.of(new Request("c1", 1, new Op.Transfer("1", "2", 3)))))));
        java.nio.ByteBuffer f = codec.encode(m);
        byte[] body = new byte[f.getInt()];
        f.get(body);
        assertEquals(m, codec.decode(body));
    }

    /** The outcome of decoding: the message, or the kind of refusal. */
    private static Object outcome(FrameCodec codec, String body) {
        try {
            Message m = codec.decode(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            // the answer to a request that does not decode names the exception's class: a diagnostic only
            return m instanceof MessageCheck.BadRequest r ? "bad request " + r.client() + " " + r.seq() : m;
        } catch (FrameCodec.FrameException e) {
            return "refused";
        }
    }

    /** The readers accept exactly what databind accepts, as the same message, and refuse what it refuses. */
    @Test
    void theReadersAnswerAsDatabindDoes() throws Exception {
        FrameCodec hotCodec = new FrameCodec(1 << 20, MessageCheck.lenient(1 << 20), true);
        FrameCodec plainCodec = new FrameCodec(1 << 20, MessageCheck.lenient(1 << 20), false);
        Ballot b = new Ballot(3, 2);
        String accept = new String(body(plainCodec.encode(new PaxosMsg.Accept(b, List.of(new PValue(b, 7,
                new Value(requests())))))), java.nio.charset.StandardCharsets.UTF_8);
        String request = "{\"type\":\"ClientRequest\",\"request\":{\"client\":\"c1\",\"seq\":2,\"op\":"
                + "{\"op\":\"transfer\",\"from\":\"1\",\"to\":\"2\",\"amount\":3}}}";
        List<String> bodies = new ArrayList<>(List.of(accept, request));
        String[][] edits = {
            {"\"round\":3", "\"round\":\"3\""}, {"\"round\":3", "\"round\":3.0"}, {"\"round\":3", "\"round\":true"},
            {"\"round\":3", "\"round\":null"}, {"\"round\":3", "\"round\":99999999999999999999"},
            {"\"round\":3,", ""}, {"\"round\":3", "\"round\":3,\"x\":1"}, {"\"node\":2", "\"node\":2147483648"},
            {"\"node\":2", "\"node\":-2147483648"}, {"\"node\":2", "\"node\":2,\"node\":4"},
            {"\"slot\":7", "\"slot\":\"7\""}, {"\"slot\":7", "\"slot\":7,\"slot\":8"}, {",\"slot\":7", ""},
            {"\"requests\":[", "\"requests\":{},\"r\":["}, {"\"requests\":[", "\"requests\":null,\"requests\":["},
            {"\"requests\":[", "\"requests\":[null,"}, {"\"requests\":[", "\"requests\":[[],"},
            {"\"requests\":[", "\"requests\":[\"x\","}, {"{\"requests\"", "{\"x\":1,\"requests\""},
            {"\"client\":\"c1\"", "\"client\":5"}, {"\"client\":\"c1\"", "\"client\":true"},
            {"\"client\":\"c1\"", "\"client\":{}"}, {"\"client\":\"c1\"", "\"client\":[\"c1\"]"},
            {"\"client\":\"c1\"", "\"client\":null"}, {"\"client\":\"c1\",", ""},
            {"\"seq\":1", "\"seq\":1.5"}, {"\"seq\":1", "\"seq\":\"1\""}, {"\"seq\":1", "\"seq\":null"},
            {"\"seq\":1", "\"seq\":1,\"z\":0"}, {"\"op\":{\"op\":\"transfer\"", "\"op\":null,\"o\":{\"op\":\"transfer\""},
            {"\"op\":{\"op\":\"transfer\",", "\"op\":\"transfer\",\"q\":{"}, {"\"op\":{\"op\":\"transfer\"", "\"op\":{\"op\":\"nope\""},
            {"\"value\":{", "\"value\":[],\"v\":{"}, {"\"value\":{", "\"value\":null,\"value\":{"},
            {"\"ballot\":{\"round\":3,\"node\":2},\"slot\"", "\"ballot\":[3,2],\"slot\""},
            {"\"ballot\":{\"round\":3,\"node\":2},\"slot\"", "\"ballot\":\"b\",\"slot\""},
            {"\"ballot\":{\"round\":3,\"node\":2},\"slot\"", "\"ballot\":null,\"slot\""},
            {"\"ballot\":{\"round\":3,\"node\":2},\"slot\"", "\"ballot\":{\"node\":2,\"round\":3},\"slot\""},
            {"\"entries\":[", "\"entries\":[null,"}, {"\"entries\":[", "\"entries\":[5,"},
            {"{\"ballot\":{\"round\":3,\"node\":2},\"slot\":7", "{\"value\":null,\"slot\":7,\"ballot\":{\"round\":3,\"node\":2}"},
            {"\"slot\":7", " \"slot\" : 7 "},
        };
        for (String base : List.of(accept, request)) {
            for (String[] e : edits) {
                if (base.contains(e[0])) {
                    bodies.add(base.replaceFirst(java.util.regex.Pattern.quote(e[0]),
                            java.util.regex.Matcher.quoteReplacement(e[1])));
                }
            }
        }
        // the type id after the fields: databind buffers them, then hands them to the readers
        bodies.add("{\"request\":{\"seq\":2,\"client\":\"c1\",\"op\":null},\"type\":\"ClientRequest\"}");
        assertEquals(true, bodies.size() > 50, "the edits apply: " + bodies.size());
        int refused = 0;
        for (String body : bodies) {
            Object want = outcome(plainCodec, body);
            assertEquals(want, outcome(hotCodec, body), body);
            refused += "refused".equals(want) ? 1 : 0;
        }
        assertEquals(true, refused > 20 && refused < bodies.size() - 5, "both kinds are exercised: " + refused);
        for (Message m : FrameCodecTest.samples()) {
            assertEquals(m, hotCodec.decode(body(plainCodec.encode(m))), m.toString());
        }
    }

    private static byte[] body(java.nio.ByteBuffer frame) {
        byte[] body = new byte[frame.getInt()];
        frame.get(body);
        return body;
    }
}
