package synod.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import synod.core.Message;
import synod.app.Op;
import synod.app.Result;
import synod.paxos.Ballot;
import synod.paxos.PValue;
import synod.paxos.PaxosMsg;
import synod.paxos.Request;
import synod.paxos.Value;
import synod.snapshot.BankMsg;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The wire format of ARCHITECTURE "Wire": length prefix, UTF-8 JSON, "type" = simple class name. */
class FrameCodecTest {
    static final int MAX = 4096;
    final FrameCodec codec = new FrameCodec(MAX);

    /** One instance of every message record, with nulls, empty and non-ASCII values where allowed. */
    static List<Message> samples() {
        Map<String, Long> channels = new TreeMap<>(Map.of("2", 5L, "é3", 0L));
        Ballot b = new Ballot(3, 2);
        Value v = new Value(List.of(new Request("c1", 1, new Op.Lock("0")), new Request("c2", 4, new Op.Unlock("x"))));
        PValue pv = new PValue(b, 7, v);
        ObjectNode checkpoint = new ObjectMapper().createObjectNode().put("slot", 4);
        checkpoint.putObject("state").put("locks", "{}");
        checkpoint.putObject("clients").putObject("c1").put("seq", 2).putObject("result").put("result", "ok");
        return List.of(
                new Control.SetLive(List.of("n1", "n2")),
                new Control.SetDropRate(0.2, 42),
                new Control.SetDelay(500, 100, 42),
                new Control.CrashAt("after-send-prepare", "/tmp/claim"),
                new Control.Campaign(),
                new Control.Query(9, "status", 3),
                new Control.QueryReply(9, List.of("n1 : E")),
                new PaxosMsg.Prepare(b, 0),
                new PaxosMsg.Promise(b, 0, List.of(pv, new PValue(b, 8, Value.NOOP)), 0),
                new PaxosMsg.Promise(b, 0, List.of(pv), 0, 1, 3),
                new PaxosMsg.CheckpointPart(4, 100, 250, "eyJzbG90Ijo0fQ=="),
                new PaxosMsg.Nack(b, new Ballot(4, 1)),
                new PaxosMsg.Accept(b, List.of(pv)),
                new PaxosMsg.NewView(b, 7, List.of(pv)),
                new PaxosMsg.Accepted(b, List.of(7L, 8L)),
                new PaxosMsg.Decide(7, v),
                new PaxosMsg.Heartbeat(b, 8),
                new PaxosMsg.CatchUp(5),
                new PaxosMsg.CatchUpReply(4, List.of(pv), 4, checkpoint),
                new PaxosMsg.CatchUpReply(8, List.of(), 0, null),
                new PaxosMsg.ClientRequest(new Request("c1", 2, new Op.Lock("7"))),
                new PaxosMsg.ClientReply("c1", 2, new Result.Acquired("7", 3), "n2"),
                new PaxosMsg.ClientReply("c1", 3, new Result.Waiting("7"), null),
                new PaxosMsg.ClientReply("c1", 4, new Result.Released("7"), null),
                new PaxosMsg.ClientReply("c1", 6, new Result.Released("7", "c2", 5), "n1"),
                new PaxosMsg.ClientReply("c1", 5, new Result.NotHolder("7"), null),
                new PaxosMsg.Notice("c2", new Result.Acquired("7", 4)),
                new Control.Hello("node-1", 40123),
                new Control.AuthHello("n1", 7101, "peer", "c-0123456789ab", "1x3", "bm9uY2U="),
                new Control.AuthChallenge("n2", "peer", "c-0123456789ab", "1x3", "bm9uY2U=", "cHJvb2Y="),
                new Control.AuthProof("cHJvb2Y="),
                new Control.AuthRefused("n4 is of cluster c-1; n1 is of cluster c-2"),
                new Control.Connect("2", "127.0.0.1", 65535),
                new Control.Linked("3"),
                new Control.Stamp("n1:7", java.util.Map.of("n1", 7L, "master", 3L)),
                new Control.Shutdown(),
                new Control.Campaign(),
                new Control.Freeze(),
                new Control.Frozen(),
                new Control.Reset(3, 3),
                new synod.txn.TxnMsg.PrepareTxn("1.7", 1, List.of(new synod.txn.TxnOp.Credit("3001", 2),
                        new synod.txn.TxnOp.Debit("3002", 1)), 5),
                new synod.txn.TxnMsg.Vote("1.7", 2, true, null),
                new synod.txn.TxnMsg.Vote("1.8", 2, false, synod.txn.Outcome.busy("3001 is locked by transaction 1.7")),
                new synod.txn.TxnMsg.Decision("1.7", 1, true, 5),
                new synod.txn.TxnMsg.Ack("1.7", 2),
                new synod.txn.TxnMsg.Inquire("1.7", 2),
                new PaxosMsg.ClientRequest(new Request("c1", 9, new Op.Place(List.of(new Op.Range("1", "3000", 1))))),
                new PaxosMsg.ClientReply("c1", 9, new Result.Busy("1 is locked by transaction 1.2"), "n1"),
                new BankMsg.Transfer(Long.MAX_VALUE),
                new BankMsg.Marker(7),
                new BankMsg.Enqueued(),
                new BankMsg.SendMoney(1, "2", 10),
                new BankMsg.Take(2, "1"),
                new BankMsg.Begin(3, 1),
                new BankMsg.Collect(4, 1),
                new BankMsg.Done(5, "1 Transfer 10", List.of("2", "3"), null),
                new BankMsg.Done(6, null, List.of(), "node 1 has no channel to ü"),
                new BankMsg.Report(7, 1, 90L, channels, List.of("3")),
                new BankMsg.Report(8, 1, null, Map.of(), List.of()));
    }

    @Test
    void everyControlAndBankRecordRoundTrips() throws Exception {
        Set<Class<?>> covered = new HashSet<>();
        for (Message m : samples()) {
            ByteBuffer frame = codec.encode(m);
            int length = frame.getInt();
            assertEquals(frame.remaining(), length, "length prefix of " + m);
            byte[] body = new byte[length];
            frame.get(body);
            Message back = codec.decode(body);
            assertEquals(m, back);
            assertEquals(m.getClass().getSimpleName(),
                    new ObjectMapper().readTree(body).get("type").asText(), "JSON \"type\" of " + m);
            covered.add(m.getClass());
        }
        Set<Class<?>> all = new HashSet<>();
        all.addAll(Arrays.asList(Control.class.getPermittedSubclasses()));
        all.addAll(Arrays.asList(BankMsg.class.getPermittedSubclasses()));
        all.addAll(Arrays.asList(PaxosMsg.class.getPermittedSubclasses()));
        all.addAll(Arrays.asList(synod.txn.TxnMsg.class.getPermittedSubclasses()));
        assertEquals(all, covered, "a message type has no round-trip sample");
    }

    @Test
    void lengthPrefixIsBigEndianAndBodyIsUtf8() {
        ByteBuffer frame = codec.encode(new Control.Linked("é"));
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        String json = "{\"type\":\"Linked\",\"peer\":\"é\"}";
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        assertEquals(utf8.length, ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8)
                | (bytes[3] & 0xff));
        assertArrayEquals(utf8, Arrays.copyOfRange(bytes, 4, bytes.length));
    }

    @Test
    void lengthsOutsideOneToMaxAreRejected() throws Exception {
        for (int bad : new int[] {0, -1, Integer.MIN_VALUE, MAX + 1, Integer.MAX_VALUE}) {
            assertThrows(FrameCodec.FrameException.class, () -> codec.checkLength(bad), "length " + bad);
        }
        assertEquals(1, codec.checkLength(1));
        assertEquals(MAX, codec.checkLength(MAX));
    }

    @Test
    void encodingAMessageOverTheLimitFailsLoudly() {
        FrameCodec small = new FrameCodec(16);
        assertThrows(IllegalStateException.class, () -> small.encode(new Control.Linked("x".repeat(100))));
    }

    @Test
    void badBodiesAreFrameExceptions() {
        List<String> bad = List.of(
                "not json at all",
                "{\"type\":\"Linked\",\"peer\":",          // truncated
                "null",                                     // JSON null
                "[]",
                "42",
                "{\"type\":\"Bogus\",\"peer\":\"1\"}",      // unknown type
                "{\"type\":\"Message\"}",                   // the interface itself
                "{\"type\":\"String\"}",
                "{\"peer\":\"1\"}",                         // missing type
                "{\"type\":null,\"peer\":\"1\"}",
                "{\"type\":\"Linked\",\"peer\":\"1\"} trailing",
                "{\"type\":\"Linked\",\"peer\":\"1\"}{\"type\":\"Shutdown\"}",
                "{\"type\":\"Linked\",\"peer\":\"1\",\"extra\":1}", // unknown property
                "{\"type\":\"Transfer\",\"amount\":null}",  // null for a primitive
                "{\"type\":\"Transfer\",\"amount\":\"lots\"}");
        for (String body : bad) {
            assertThrows(FrameCodec.FrameException.class, () -> codec.decode(body.getBytes(StandardCharsets.UTF_8)),
                    body);
        }
        assertThrows(FrameCodec.FrameException.class, () -> codec.decode(new byte[] {(byte) 0xff, (byte) 0xfe, 0}),
                "invalid UTF-8");
    }
}
