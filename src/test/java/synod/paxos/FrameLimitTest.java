package synod.paxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import synod.app.Op;
import synod.app.Services;
import synod.core.Envelope;
import synod.core.Message;
import synod.core.Output;
import synod.runtime.FrameCodec;
import synod.runtime.MessageCheck;

/**
 * A request must leave room for the envelope of every message that carries it (an Accept, a
 * Decide, a catch-up entry), and a leader's batch must close before it outgrows a frame: a request
 * of exactly frameBytesMax was accepted, and the leader died when it encoded its Accept.
 */
class FrameLimitTest {
    static final List<String> THREE = List.of("n1", "n2", "n3");
    static final int MIB = 1 << 20;
    final FrameCodec codec = new FrameCodec(MIB, new MessageCheck(MIB, 3));

    static final String PREFIX = "{\"type\":\"ClientRequest\",\"request\":{\"client\":\"c\",\"seq\":1,"
            + "\"op\":{\"op\":\"put\",\"key\":\"k\",\"value\":\"";
    static final String SUFFIX = "\"}}}";

    Message decodeRequestOf(int valueChars) throws FrameCodec.FrameException {
        return codec.decode((PREFIX + "x".repeat(valueChars) + SUFFIX).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRequestAsLargeAsTheFrameIsRefusedWithAnAnswer() throws Exception {
        Message m = decodeRequestOf(MIB - PREFIX.length() - SUFFIX.length());
        MessageCheck.BadRequest b = assertInstanceOf(MessageCheck.BadRequest.class, m);
        assertTrue(b.reason().contains("bytes"), b.reason());
    }

    /** The longest Put value the edge lets through. */
    int largestAccepted() throws Exception {
        int lo = 0;
        int hi = MIB;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (decodeRequestOf(mid) instanceof PaxosMsg.ClientRequest) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** A leader of three at the highest ballot and (nearly) the highest slot a correct group reaches: numbers at their longest. */
    static PaxosNode leaderAtTheLimits(PaxosConfig cfg) {
        PaxosNode n = new PaxosNode(cfg, "n1", new Services(), new Random(1));
        ObjectMapper json = new ObjectMapper();
        n.recover(List.of(new Durable.Promised(new Ballot(MessageCheck.ROUND_MAX - 2, 3)),
                new Durable.Checkpoint(MessageCheck.SLOT_MAX - 10, new Services().snapshot(), json.createObjectNode())));
        LeaderTest.elect(n);
        assertEquals(MessageCheck.ROUND_MAX - 1, n.ballot().round());
        return n;
    }

    /** Encodes every message of {@code out} as the runtime would (throwing if one is over the limit). */
    List<Message> encodeAll(Output out) {
        List<Message> sent = new ArrayList<>();
        List<Envelope> all = new ArrayList<>(out.earlySends());
        all.addAll(out.sends());
        for (Envelope e : all) {
            ByteBuffer frame = codec.encode(e.message());
            assertTrue(frame.getInt() <= MIB);
            sent.add(e.message());
        }
        return sent;
    }

    @Test
    void theLargestRequestTheEdgeTakesFitsEveryMessageThatCarriesIt() throws Exception {
        int chars = largestAccepted();
        Request r = new Request("c", 1, new Op.Put("k", "x".repeat(chars)));
        PaxosNode n = leaderAtTheLimits(PaxosConfig.of(THREE));
        n.step("client", new PaxosMsg.ClientRequest(r));
        Output proposed = n.endOfRound();
        List<Message> sent = encodeAll(proposed);
        PaxosMsg.Accept accept = (PaxosMsg.Accept) sent.stream().filter(m -> m instanceof PaxosMsg.Accept).findFirst()
                .orElseThrow();
        PValue pv = accept.entries().get(0);
        assertEquals(List.of(r), pv.value().requests());
        // the Decide that carries the value to a node that did not vote, and a catch-up of that slot
        Output decided = n.step("n3", new PaxosMsg.Accepted(accept.ballot(), List.of(pv.slot())));
        assertTrue(encodeAll(decided).stream().anyMatch(m -> m instanceof PaxosMsg.Decide d && d.value() != null));
        assertTrue(n.replica().slotOut() > pv.slot(), "applied");
        Output caughtUp = n.step("n2", new PaxosMsg.CatchUp(pv.slot()));
        assertTrue(encodeAll(caughtUp).stream().anyMatch(m -> m instanceof PaxosMsg.CatchUpReply c
                && !c.decided().isEmpty()));
    }

    @Test
    void aLeadersBatchIsClosedBeforeItWouldOutgrowAFrame() {
        PaxosNode n = new PaxosNode(PaxosConfig.of(THREE), "n1", new Services(), new Random(1));
        LeaderTest.elect(n);
        n.endOfRound();
        List<Request> submitted = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Request r = new Request("c" + i, 1, new Op.Put("k" + i, "y".repeat(200_000)));
            submitted.add(r);
            n.step("client", new PaxosMsg.ClientRequest(r));
        }
        List<Request> proposed = new ArrayList<>();
        int accepts = 0;
        Output out = n.endOfRound();
        for (int round = 0; round < 10 && proposed.size() < submitted.size(); round++) {
            encodeAll(out);
            List<Long> slots = new ArrayList<>();
            for (Envelope e : out.earlySends()) {
                if (e.to().equals("n2") && e.message() instanceof PaxosMsg.Accept a) {
                    accepts++;
                    a.entries().forEach(pv -> {
                        proposed.addAll(pv.value().requests());
                        slots.add(pv.slot());
                    });
                }
            }
            // The full slots went at once; the partial last one waits for their decision (and the linger).
            n.step("n2", new PaxosMsg.Accepted(n.ballot(), slots));
            out = n.endLinger();
        }
        assertEquals(submitted, proposed, "every request proposed, in order, each once");
        assertTrue(accepts >= 2, "ten 200 kB requests cannot share one frame");
    }
}
