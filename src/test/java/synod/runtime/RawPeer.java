package synod.runtime;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Set;
import synod.core.Message;

/**
 * A hand-driven connection to a node, for tests that speak the wire protocol themselves: plain (no
 * handshake at all), or authenticated as whoever its AuthHello names, with whatever key it is
 * given (the right one, another cluster's, a client's). After the handshake {@link #frame} seals
 * what it sends, as the transport would; {@link #unsealed} and {@link #raw} do not.
 */
public final class RawPeer implements AutoCloseable {
    private final SocketChannel channel;
    private final DataInputStream in;
    private final OutputStream out;
    private final FrameCodec codec;
    private Handshake hs;
    /** Why the handshake failed (the node's AuthRefused, or this side's check of the node), or null. */
    public String refusal;

    private RawPeer(int port, FrameCodec codec, int timeoutMillis) throws IOException {
        this.codec = codec;
        channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        channel.socket().setSoTimeout(timeoutMillis);
        channel.socket().setTcpNoDelay(true);
        in = new DataInputStream(new java.io.BufferedInputStream(channel.socket().getInputStream()));
        out = channel.socket().getOutputStream();
    }

    /** A connection that says nothing yet. */
    public static RawPeer plain(int port, FrameCodec codec, int timeoutMillis) throws IOException {
        return new RawPeer(port, codec, timeoutMillis);
    }

    /**
     * A connection to {@code node} that has run the handshake as {@code as} in {@code role} with
     * {@code key} and {@code layout}; {@link #refusal} says whether it failed.
     */
    public static RawPeer authenticated(int port, FrameCodec codec, int timeoutMillis, String as, String node,
                                        ClusterKey key, Auth.Role role, String layout) throws IOException {
        RawPeer p = new RawPeer(port, codec, timeoutMillis);
        p.hs = Handshake.dial(Auth.of(key, role, layout, Set.of(), Set.of()), as, node);
        p.unsealed(body(codec.encode(p.hs.hello(-1))));
        Message m;
        try {
            m = codec.decode(p.readBody());
        } catch (EOFException | java.net.SocketException e) {
            p.refusal = "closed: " + e;
            return p;
        }
        if (m instanceof Control.AuthRefused r) {
            p.refusal = r.reason();
        } else if (m instanceof Control.AuthChallenge c) {
            try {
                p.unsealed(body(codec.encode(p.hs.onChallenge(c))));
            } catch (Handshake.Refused e) {
                p.refusal = e.getMessage();
            }
        } else {
            p.refusal = "unexpected " + m;
        }
        return p;
    }

    public static byte[] body(ByteBuffer frame) {
        byte[] b = new byte[frame.remaining() - 4];
        frame.duplicate().position(4).get(b);
        return b;
    }

    public SocketChannel channel() {
        return channel;
    }

    /** The bytes {@link #frame} would write for {@code body}: length, body, MAC (for a replay). */
    public byte[] sealed(byte[] body) {
        ByteBuffer plain = ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).flip();
        ByteBuffer s = hs.seal(plain);
        byte[] b = new byte[s.remaining()];
        s.get(b);
        return b;
    }

    /** Sends {@code body} as one frame, sealed once authenticated. */
    public void frame(byte[] body) throws IOException {
        if (hs != null && hs.authenticated()) {
            raw(sealed(body));
        } else {
            unsealed(body);
        }
    }

    public void send(Message m) throws IOException {
        frame(body(codec.encode(m)));
    }

    /** Sends {@code body} as one frame without a MAC. */
    public void unsealed(byte[] body) throws IOException {
        raw(ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array());
    }

    public void raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    private byte[] readBody() throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }

    /** The next message the node sends (its MAC checked once authenticated). */
    public Message next() throws IOException {
        byte[] b = readBody();
        return codec.decode(hs != null && hs.authenticated() ? hs.open(b) : b);
    }

    /** True once the node has closed this connection; false if it is still open after the timeout. */
    public boolean closedByNode() throws IOException {
        try {
            while (true) {
                readBody();
            }
        } catch (EOFException | java.net.SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
