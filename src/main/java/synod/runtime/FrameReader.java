package synod.runtime;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import synod.core.Message;

/**
 * Reassembles frames from the bytes of one connection. It reads into a small fixed header buffer,
 * checks the length before anything else, and then grows the body as its bytes arrive rather than
 * allocating what the header announces: a peer that announces a megabyte and sends a byte holds a
 * few kilobytes of this node's memory, not a megabyte ({@link #held} is what the transport's memory
 * budget counts).
 */
final class FrameReader {
    /** Where completed frame bodies go, one at a time, in order. */
    interface Sink {
        void frame(byte[] body) throws FrameCodec.FrameException;
    }

    /** The first allocation for a body: most frames fit it, larger ones double from it. */
    private static final int FIRST_CHUNK = 16 * 1024;
    private final FrameCodec codec;
    private final ByteBuffer header = ByteBuffer.allocate(4);
    /** The longest frame body accepted now (the transport lowers it until a connection has authenticated). */
    private int limit;
    private byte[] body = null;
    private int length;
    private int filled;

    FrameReader(FrameCodec codec) {
        this.codec = codec;
        this.limit = codec.frameBytesMax();
    }

    void limit(int bytes) {
        this.limit = bytes;
    }

    /** True while a frame has started but not finished: a peer stalling here is cut off. */
    boolean midFrame() {
        return header.position() > 0 || body != null;
    }

    /** Bytes this reader holds for a frame in progress. */
    int held() {
        return body == null ? 0 : body.length;
    }

    /** Consumes all of {@code in}, decoding each completed frame into {@code out}. */
    void feed(ByteBuffer in, List<Message> out) throws FrameCodec.FrameException {
        feed(in, b -> out.add(codec.decode(b)));
    }

    /**
     * Consumes all of {@code in}, handing each completed body to {@code sink} before reading the next
     * header, so what the sink does with one frame (end a handshake, say) holds for the next.
     */
    void feed(ByteBuffer in, Sink sink) throws FrameCodec.FrameException {
        while (in.hasRemaining()) {
            if (body == null) {
                moveSome(in, header);
                if (header.hasRemaining()) {
                    return;
                }
                header.flip();
                length = header.getInt();
                header.clear();
                if (length < 1 || length > limit) {
                    throw new FrameCodec.FrameException("frame length " + length + " outside 1.." + limit);
                }
                body = new byte[Math.min(length, FIRST_CHUNK)];
                filled = 0;
            }
            int n = Math.min(in.remaining(), length - filled);
            if (filled + n > body.length) {
                body = Arrays.copyOf(body, (int) Math.min(length, Math.max(filled + n, 2L * body.length)));
            }
            in.get(body, filled, n);
            filled += n;
            if (filled == length) {
                byte[] done = body;
                body = null;
                sink.frame(done);
            }
        }
    }

    private static void moveSome(ByteBuffer from, ByteBuffer to) {
        int n = Math.min(from.remaining(), to.remaining());
        ByteBuffer slice = from.slice();
        slice.limit(n);
        to.put(slice);
        from.position(from.position() + n);
    }
}
