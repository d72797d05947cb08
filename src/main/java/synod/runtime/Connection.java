package synod.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One TCP connection, owned by the event loop: a frame reader on the way in, a queue of encoded
 * frames on the way out. It knows nothing of peers or protocols; {@link Transport} does.
 */
final class Connection {
    /** Frames handed to one gathering write: enough to fill a socket, not a copy of a long queue. */
    private static final int WRITE_BATCH = 64;
    final SocketChannel channel;
    final boolean outbound;
    final long openedMillis;
    SelectionKey key;
    String peer;
    long lastReadMillis;
    /** This connection's authentication, or null with authentication off. */
    final Handshake auth;
    /** The role the dialler proved (an accepted, authenticated connection), else null. */
    Auth.Role role;
    /** Tracing: the stamp that came just before the next message, or null. */
    Control.Stamp stamp;
    /** Not read from for now: the node's buffers are over their budget and this connection holds much. */
    boolean paused;
    long pausedMillis;
    final FrameReader reader;
    /** In {@link #plain} beside a frame of this connection's own: never resent. */
    private static final ByteBuffer OWN = ByteBuffer.allocate(0);
    /** Frames as written (sealed, with authentication) and, beside each, as queued ({@link #OWN}: never resent). */
    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> plain = new ArrayDeque<>();
    private long outBytes = 0;

    Connection(SocketChannel channel, boolean outbound, FrameCodec codec, String peer, Handshake auth) {
        this.channel = channel;
        this.outbound = outbound;
        this.reader = new FrameReader(codec);
        this.auth = auth;
        if (auth != null) {
            reader.limit(Handshake.FRAME_BYTES_MAX);
        }
        this.peer = peer;
        this.openedMillis = EventLoop.nowMillis();
        this.lastReadMillis = openedMillis;
    }

    /**
     * A link of the cluster itself: one this process dialled (to a peer or its master), or one whose
     * dialler proved the peer or master role. The memory budget never pauses these: pausing the
     * master's link, then cutting it once paused for stallMillis, ended a node that a flood of
     * clients had filled the budget of. Their bytes still count, so clients are paused the sooner.
     */
    boolean member() {
        return outbound || role == Auth.Role.PEER || role == Auth.Role.MASTER;
    }

    boolean midFrame() {
        return reader.midFrame();
    }

    long queuedBytes() {
        return outBytes;
    }

    /** Bytes of this node's memory the connection holds: a frame being read and frames waiting to go. */
    long held() {
        return outBytes + reader.held();
    }

    /**
     * Reads what is available, adding each completed message to {@code got}. Returns false at end of
     * stream. A bad frame throws {@link FrameCodec.FrameException}, but only after the frames
     * completed before it are in {@code got}: what a peer sent intact is delivered whatever way TCP
     * cut the stream.
     */
    boolean read(ByteBuffer scratch, FrameReader.Sink got) throws IOException {
        while (true) {
            scratch.clear();
            int n = channel.read(scratch);
            if (n < 0) {
                return false;
            }
            if (n == 0) {
                return true;
            }
            lastReadMillis = EventLoop.nowMillis();
            boolean drained = scratch.hasRemaining(); // a short read emptied the socket
            scratch.flip();
            reader.feed(scratch, got);
            if (drained) {
                return true; // the selector is level-triggered: anything arriving later is reported again
            }
        }
    }

    /**
     * Writes a frame of this connection's own (a Hello, a handshake message), unsealed: it belongs
     * to this connection and is never sent again on another.
     */
    void greet(ByteBuffer hello) throws IOException {
        out.add(hello);
        plain.add(OWN);
        outBytes += hello.remaining();
        flush();
    }

    /**
     * Queues a frame; {@link Transport} writes the queue at the end of the loop round (or when
     * OP_WRITE says a full socket drained), so the frames of one round go out in one gathering write
     * and the peer wakes once for all of them. Returns true if the queue was empty before.
     */
    boolean queue(ByteBuffer frame) {
        if (auth != null && !auth.authenticated()) {
            throw new IllegalStateException("a frame queued on a connection not yet authenticated");
        }
        boolean idle = out.isEmpty();
        ByteBuffer wire = auth == null ? frame : auth.seal(frame);
        out.add(wire);
        plain.add(frame);
        outBytes += wire.remaining();
        return idle;
    }

    boolean idle() {
        return out.isEmpty();
    }

    /** Writes queued frames until the socket is full; asks for OP_WRITE if some remain. */
    void flush() throws IOException {
        ByteBuffer[] batch = new ByteBuffer[WRITE_BATCH];
        while (!out.isEmpty()) {
            int k = 0;
            for (ByteBuffer b : out) {
                if (k == batch.length) {
                    break;
                }
                batch[k++] = b;
            }
            long n = channel.write(batch, 0, k);
            outBytes -= n;
            while (!out.isEmpty() && !out.peek().hasRemaining()) {
                out.poll();
                plain.poll();
            }
            if (n == 0) {
                break;
            }
        }
        if (key != null && key.isValid()) {
            int ops = (paused ? 0 : SelectionKey.OP_READ) | (out.isEmpty() ? 0 : SelectionKey.OP_WRITE);
            if (key.interestOps() != ops) {
                key.interestOps(ops);
            }
        }
    }

    /**
     * Frames not yet fully written, rewound, for a reconnecting link to send again: the peer drops a
     * half-received frame with the dead connection, so the whole frame goes again (sealed anew by
     * the next connection, whose keys and numbers are its own). The Hello and handshake are left
     * out: the next connection writes its own, and a second one would make the peer close it.
     */
    List<ByteBuffer> unsent() {
        List<ByteBuffer> rest = new ArrayList<>();
        for (ByteBuffer b : plain) {
            if (b != OWN) {
                rest.add(b.rewind());
            }
        }
        return rest;
    }

    /** Stops or resumes reading (the memory budget); a resumed connection's stall clock restarts. */
    void pause(boolean on) {
        paused = on;
        if (on) {
            pausedMillis = EventLoop.nowMillis();
        } else {
            lastReadMillis = EventLoop.nowMillis();
        }
        if (key != null && key.isValid()) {
            key.interestOps((on ? 0 : SelectionKey.OP_READ) | (out.isEmpty() ? 0 : SelectionKey.OP_WRITE));
        }
    }

    void close() {
        try {
            if (key != null) {
                key.cancel();
            }
            channel.close();
        } catch (IOException ignored) {
            // closing a broken socket can fail; it is gone either way
        }
    }
}
