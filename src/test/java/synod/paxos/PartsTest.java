package synod.paxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import synod.app.Op;
import synod.app.Services;
import synod.core.BadMessage;
import synod.core.Message;
import synod.core.Output;
import synod.runtime.FrameCodec;

/** Layer 1: the cutting of promises, new views and catch-ups into frames, and their putting back together. */
class PartsTest {
    static final int FRAME = 4096;
    static final List<String> THREE = List.of("n1", "n2", "n3");
    final FrameCodec codec = new FrameCodec(FRAME);
    final Parts parts = new Parts(FRAME);

    static Value big(String client, int chars) {
        return new Value(List.of(new Request(client, 1, new Op.Put("k" + client, "z".repeat(chars)))));
    }

    int encoded(Message m) {
        ByteBuffer f = codec.encode(m); // throws over the limit
        return f.getInt();
    }

    List<PValue> entries(Ballot b, int n) {
        List<PValue> es = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            es.add(new PValue(b, s, big("c" + s, 1500)));
        }
        return es;
    }

    @Test
    void aPromiseTooLargeForAFrameGoesInPartsThatEachFit() {
        Ballot b = new Ballot(4, 2);
        PaxosMsg.Promise whole = new PaxosMsg.Promise(b, 0, entries(new Ballot(3, 1), 7), 0);
        List<PaxosMsg> cut = parts.of(whole);
        assertTrue(cut.size() > 1);
        List<PValue> back = new ArrayList<>();
        for (int i = 0; i < cut.size(); i++) {
            PaxosMsg.Promise p = (PaxosMsg.Promise) cut.get(i);
            assertEquals(i, p.part());
            assertEquals(cut.size(), p.parts());
            assertTrue(encoded(p) <= FRAME);
            back.addAll(p.accepted());
        }
        assertTrue(whole.accepted().equals(back), "the parts hold the accepted values, in order");
        PaxosMsg.Promise small = new PaxosMsg.Promise(b, 0, List.of(), 0);
        assertEquals(List.of(small), parts.of(small), "a small promise is one message");
    }

    @Test
    void aCandidateCountsAPromiseOnlyOnceEveryPartIsInWhateverTheOrderAndCopies() {
        PaxosNode n = new PaxosNode(LeaderTest.config(THREE).withFrameBytesMax(FRAME), "n1", new Services(),
                new Random(1));
        PaxosMsg.Prepare p = LeaderTest.messages(LeaderTest.tickUntilPrepare(n), PaxosMsg.Prepare.class).get(0);
        List<PValue> accepted = entries(new Ballot(0, 0).nextFor(2), 5);
        List<PaxosMsg> cut = parts.of(new PaxosMsg.Promise(p.ballot(), p.fromSlot(), accepted, 0));
        assertTrue(cut.size() >= 3, "parts: " + cut.size());
        n.step("n2", cut.get(cut.size() - 1));
        n.step("n2", cut.get(0));
        n.step("n2", cut.get(0)); // a duplicate
        for (int i = 1; i < cut.size() - 2; i++) {
            n.step("n2", cut.get(i));
        }
        assertFalse(n.isLeader(), "one part is still missing");
        Output out = n.step("n2", cut.get(cut.size() - 2));
        assertTrue(n.isLeader());
        List<PValue> proposed = new ArrayList<>();
        int views = 0;
        for (var e : out.sends()) {
            if (e.to().equals("n2") && e.message() instanceof PaxosMsg.NewView v) {
                assertTrue(encoded(v) <= FRAME, "each new view fits a frame");
                proposed.addAll(v.entries());
                views++;
            }
        }
        assertTrue(views > 1, "the new view went in parts of its own");
        assertTrue(accepted.stream().map(PValue::value).toList().equals(proposed.stream().map(PValue::value).toList()),
                "the new view proposes every value the promise's parts held");
    }

    @Test
    void aCatchUpSendsTheDecidedSlotsThatFitAndABigCheckpointInParts() throws Exception {
        Replica r = new Replica(new Services());
        for (long s = 0; s < 6; s++) {
            r.onDecide(s, big("c" + s, 1500), "n1", new Output());
        }
        PaxosMsg.CatchUpReply all = r.catchUp(0, 10);
        List<PaxosMsg> cut = parts.of(all);
        assertEquals(1, cut.size());
        PaxosMsg.CatchUpReply first = (PaxosMsg.CatchUpReply) cut.get(0);
        assertTrue(first.decided().size() >= 1 && first.decided().size() < 6, "only what fits: " + first.decided().size());
        assertTrue(all.decided().subList(0, first.decided().size()).equals(first.decided()), "a prefix of them");
        assertTrue(encoded(first) <= FRAME);

        r.maybeCheckpoint(6); // its state: six values of 1.5 kB, over a 4 kB frame
        JsonNode atCheckpoint = r.machine().snapshot();
        r.onDecide(6, big("d", 10), "n1", new Output());
        List<PaxosMsg> withCheckpoint = parts.of(r.catchUp(0, 10));
        CheckpointParts in = new CheckpointParts();
        JsonNode whole = null;
        int n = 0;
        for (PaxosMsg m : withCheckpoint) {
            assertTrue(encoded(m) <= FRAME);
            if (m instanceof PaxosMsg.CheckpointPart p) {
                n++;
                assertNull(whole, "the checkpoint is whole only at its last part");
                whole = in.add("n2", p);
            }
        }
        assertTrue(n >= 2, "parts: " + n);
        Replica lagging = new Replica(new Services());
        Durable.Checkpoint c = lagging.install(whole);
        assertEquals(6, c.slot());
        assertTrue(atCheckpoint.equals(lagging.machine().snapshot()), "the state at the checkpoint");
        PaxosMsg.CatchUpReply last = (PaxosMsg.CatchUpReply) withCheckpoint.get(withCheckpoint.size() - 1);
        assertNull(last.checkpoint(), "the checkpoint went in parts, not inline");
        assertEquals(6, last.fromSlot());
        assertEquals(1, last.decided().size());
    }

    @Test
    void checkpointPartsAreHeldByOffsetAndRefusedWhenNoPeerWouldSendThem() throws Exception {
        byte[] json = new ObjectMapper().writeValueAsBytes(new ObjectMapper().readTree(
                "{\"slot\":3,\"state\":{\"kv\":{\"a\":\"b\"}},\"clients\":{}}"));
        int half = json.length / 2;
        String a = java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(json, 0, half));
        String b = java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(json, half, json.length));
        CheckpointParts in = new CheckpointParts();
        assertNull(in.add("n2", new PaxosMsg.CheckpointPart(3, half, json.length, b)), "out of order: held");
        assertNull(in.add("n2", new PaxosMsg.CheckpointPart(3, half, json.length, b)), "a duplicate");
        assertNull(in.add("n3", new PaxosMsg.CheckpointPart(3, 0, json.length, a)), "another sender's parts are its own");
        JsonNode whole = in.add("n2", new PaxosMsg.CheckpointPart(3, 0, json.length, a));
        assertEquals(3, whole.get("slot").asLong());
        assertNull(in.add("n3", new PaxosMsg.CheckpointPart(4, half, json.length, b)), "another checkpoint starts afresh");

        assertThrows(BadMessage.class, () -> in.add("n2", new PaxosMsg.CheckpointPart(3, 0, 10, "not base64!")));
        assertThrows(BadMessage.class, () -> in.add("n2", new PaxosMsg.CheckpointPart(3, 8, 10, a)), "overruns its total");
        String junk = java.util.Base64.getEncoder().encodeToString("{\"slot\":3}".getBytes());
        assertThrows(BadMessage.class, () -> in.add("n2", new PaxosMsg.CheckpointPart(3, 0, 10, junk)),
                "JSON that is no checkpoint");
    }
}
