package synod.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import synod.core.Message;
import synod.snapshot.BankMsg;

/** Reassembly of frames from arbitrary chunks, and the size check that comes before allocation. */
class FrameReaderTest {
    static final int MAX = 4096;
    final FrameCodec codec = new FrameCodec(MAX);
    final FrameReader reader = new FrameReader(codec);

    private byte[] frames(List<Message> messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Message m : messages) {
            ByteBuffer b = codec.encode(m);
            out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
        }
        return out.toByteArray();
    }

    private static byte[] header(int length) {
        return ByteBuffer.allocate(4).putInt(length).array();
    }

    private static byte[] raw(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    @Test
    void manyFramesInOneBuffer() throws Exception {
        List<Message> sent = FrameCodecTest.samples();
        List<Message> got = new ArrayList<>();
        reader.feed(ByteBuffer.wrap(frames(sent)), got);
        assertEquals(sent, got);
        assertFalse(reader.midFrame());
    }

    @Test
    void framesFedOneByteAtATime() throws Exception {
        List<Message> sent = FrameCodecTest.samples();
        byte[] bytes = frames(sent);
        List<Message> got = new ArrayList<>();
        int completed = 0;
        for (int i = 0; i < bytes.length; i++) {
            reader.feed(ByteBuffer.wrap(bytes, i, 1), got);
            if (got.size() > completed) {
                completed = got.size();
                assertFalse(reader.midFrame(), "a frame just completed at byte " + i);
            } else {
                assertTrue(reader.midFrame(), "byte " + i + " is inside a frame");
            }
        }
        assertEquals(sent, got);
    }

    @Test
    void framesSplitAtEveryPossibleBoundary() throws Exception {
        List<Message> sent = List.of(new BankMsg.Transfer(1), new BankMsg.Done(2, "x", List.of("1"), null),
                new Control.Shutdown());
        byte[] bytes = frames(sent);
        for (int cut = 0; cut <= bytes.length; cut++) {
            FrameReader r = new FrameReader(codec);
            List<Message> got = new ArrayList<>();
            r.feed(ByteBuffer.wrap(bytes, 0, cut), got);
            r.feed(ByteBuffer.wrap(bytes, cut, bytes.length - cut), got);
            assertEquals(sent, got, "cut at " + cut);
        }
    }

    @Test
    void feedConsumesEverythingItIsGiven() throws Exception {
        byte[] bytes = frames(List.of(new BankMsg.Marker(3)));
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, 6);
        List<Message> got = new ArrayList<>();
        reader.feed(in, got);
        assertEquals(0, in.remaining());
        assertTrue(got.isEmpty());
        assertTrue(reader.midFrame());
    }

    @Test
    void badLengthsAreRejected() {
        for (int bad : new int[] {0, -1, Integer.MIN_VALUE, MAX + 1, Integer.MAX_VALUE}) {
            FrameReader r = new FrameReader(codec);
            assertThrows(FrameCodec.FrameException.class, () -> r.feed(ByteBuffer.wrap(header(bad)), new ArrayList<>()),
                    "length " + bad);
        }
    }

    /**
     * Surefire runs with -Xmx512m, so a reader that allocated what the header claims before checking
     * it would die with OutOfMemoryError here instead of throwing FrameException. The limit is raised
     * to the largest the codec allows so only the check, not a small limit, can save it.
     */
    @Test
    void hugeLengthIsRejectedBeforeAnythingIsAllocated() {
        assertTrue(Runtime.getRuntime().maxMemory() < (1L << 31), "this test needs a heap under 2 GiB");
        FrameReader r = new FrameReader(new FrameCodec(1 << 20));
        long before = usedHeap();
        assertThrows(FrameCodec.FrameException.class,
                () -> r.feed(ByteBuffer.wrap(header(Integer.MAX_VALUE)), new ArrayList<>()));
        assertTrue(usedHeap() - before < (64L << 20), "the rejected header made the reader allocate");
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void badBodiesAreRejected() {
        List<String> bad = List.of("garbage", "null", "{\"type\":\"Bogus\"}", "{\"peer\":\"1\"}",
                "{\"type\":\"Linked\",\"peer\":\"1\"}xx", "{\"type\":\"Linked\",\"peer\":\"1\",\"who\":2}");
        for (String json : bad) {
            FrameReader r = new FrameReader(codec);
            assertThrows(FrameCodec.FrameException.class, () -> r.feed(ByteBuffer.wrap(raw(json)), new ArrayList<>()),
                    json);
        }
    }

    @Test
    void goodFramesBeforeABadOneAreDecodedFirst() throws Exception {
        byte[] good = frames(List.of(new BankMsg.Transfer(1), new BankMsg.Transfer(2)));
        byte[] bad = raw("{oops");
        ByteBuffer in = ByteBuffer.allocate(good.length + bad.length).put(good).put(bad).flip();
        List<Message> got = new ArrayList<>();
        assertThrows(FrameCodec.FrameException.class, () -> reader.feed(in, got));
        assertEquals(List.of(new BankMsg.Transfer(1), new BankMsg.Transfer(2)), got);
    }
}
