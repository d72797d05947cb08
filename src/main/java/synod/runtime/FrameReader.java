package synod.runtime;

import java.nio.ByteBuffer;
import java.util.List;
import synod.core.Message;

/**
 * Reassembles frames from the bytes of one connection. It reads into a small fixed header buffer
 * and allocates a body only after the codec has accepted its length.
 */
final class FrameReader {
    private final FrameCodec codec;
    private final ByteBuffer header = ByteBuffer.allocate(4);
    private ByteBuffer body = null;

    FrameReader(FrameCodec codec) {
        this.codec = codec;
    }

    /** True while a frame has started but not finished: a peer stalling here is cut off. */
    boolean midFrame() {
        return header.position() > 0 || body != null;
    }

    /** Consumes all of {@code in}, adding each completed message to {@code out}. */
    void feed(ByteBuffer in, List<Message> out) throws FrameCodec.FrameException {
        while (in.hasRemaining()) {
            if (body == null) {
                moveSome(in, header);
                if (header.hasRemaining()) {
                    return;
                }
                header.flip();
                body = ByteBuffer.allocate(codec.checkLength(header.getInt()));
                header.clear();
            }
            moveSome(in, body);
            if (!body.hasRemaining()) {
                byte[] bytes = body.array();
                body = null;
                out.add(codec.decode(bytes));
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
