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
        rs.add(new Request("#reshard", 4, new Op.Move("3001", 1)));
        rs.add(new Request("#2pc/2.3/prepare", 0, new Op.Txn(new synod.txn.TxnEntry.Prepare("2.3",
                List.of(new synod.txn.TxnOp.GiveUp("3001", 1), new synod.txn.TxnOp.TakeOver("3001", 12, 1),
                        new synod.txn.TxnOp.Relocate("3001", 1)), 2))));
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
}
