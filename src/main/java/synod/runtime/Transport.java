package synod.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import synod.core.BadMessage;
import synod.core.Message;

/**
 * Length-prefixed JSON over NIO TCP, on the event loop. Each node dials every peer it must talk to
 * and sends only on that outgoing connection, so each ordered pair of nodes has one connection: the
 * FIFO channel. A dialler's first frame is {@link Control.Hello}; an accepted connection is
 * nameless until it has sent one.
 *
 * <p>A malformed frame, an unknown type, a frame over the size limit, a peer message the protocol
 * refuses ({@link BadMessage}), a stall mid-frame or a missing Hello close that one
 * connection; the node carries on. Outgoing links redial with exponential backoff and resend what
 * was not yet written.
 */
public final class Transport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);

    /** What the transport tells its owner; called on the loop thread. */
    public interface Listener {
        void onMessage(String from, Message message);

        /** The outgoing channel to {@code peer} is connected and its Hello is written. */
        default void onLinked(String peer) {}

        /** A connection to or from {@code peer} closed ({@code outbound}: it was ours). */
        default void onDisconnected(String peer, boolean outbound) {}
    }

    /** Limits; all in milliseconds or bytes. */
    /**
     * {@code bufferBytesMax}: the memory budget, for frames being read and frames waiting to be
     * written across all of this process's connections; past it, the clients' connections holding
     * the most are not read from until the total falls below it again (the cluster's own links,
     * {@link Connection#member}, always are).
     */
    public record Settings(long stallMillis, long helloMillis, long outBytesMax, long backoffMinMillis,
                           long backoffMaxMillis, long bufferBytesMax) {
        /** Sized for a node's default 64 MB heap: what is buffered, its decoded copy and the node's state fit. */
        public static final long BUFFER_BYTES_MAX = 16L << 20;
        /**
         * Bytes one peer may have queued for it, written or waiting for its link: a quarter of this
         * JVM's heap (16 MB on a node's default 64 MB), room for a checkpoint sent in parts. Past it
         * the frames are dropped (every protocol resends) rather than let a peer that stops reading,
         * or a link that stays down, take the heap.
         */
        public static final long OUT_BYTES_MAX = Math.max(4L << 20, Runtime.getRuntime().maxMemory() / 4);
        public static final Settings DEFAULT = new Settings(10_000, 10_000, OUT_BYTES_MAX, 20, 2_000, BUFFER_BYTES_MAX);

        public Settings(long stallMillis, long helloMillis, long outBytesMax, long backoffMinMillis,
                        long backoffMaxMillis) {
            this(stallMillis, helloMillis, outBytesMax, backoffMinMillis, backoffMaxMillis, BUFFER_BYTES_MAX);
        }
    }

    /**
     * A connection holding less than this may read even when the budget is spent: small frames (all
     * that electing a leader and deciding a slot take) keep flowing while large ones wait. So the
     * total is bounded by the budget plus this much, and one read, per connection.
     */
    static final int SMALL_HOLDING = 64 * 1024;

    /** An outgoing channel: where to dial, the live connection if any, frames waiting for it. */
    private static final class Link {
        final String peer;
        final InetSocketAddress address;
        final boolean redial;
        final ArrayDeque<ByteBuffer> waiting = new ArrayDeque<>();
        long waitingBytes;
        Connection conn;
        boolean up;
        int failures;

        Link(String peer, InetSocketAddress address, boolean redial) {
            this.peer = peer;
            this.address = address;
            this.redial = redial;
        }
    }

    private final EventLoop loop;
    private final FrameCodec codec;
    private final String self;
    private final Listener listener;
    private final Settings settings;
    private final Random jitter = new Random();
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(64 * 1024);
    private final Map<String, Link> links = new HashMap<>();
    private final Map<String, Connection> inbound = new HashMap<>();
    private final List<Connection> all = new ArrayList<>();
    /** Connections with frames queued this round, written by {@link #flushQueued} as the round ends. */
    private final List<Connection> dirty = new ArrayList<>();
    /** Connections not read from for now: the memory budget is spent and they hold the most. */
    private final List<Connection> paused = new ArrayList<>();
    private volatile Auth auth;
    /** The last message encoded and its frame: a broadcast encodes once, each peer gets a view of it. */
    private Message lastMessage;
    private ByteBuffer lastFrame;
    private ServerSocketChannel server;
    private int port = -1;
    private boolean closed;

    /** Without authentication: for tests of the transport itself. */
    public Transport(EventLoop loop, FrameCodec codec, String self, Listener listener, Settings settings) {
        this(loop, codec, self, listener, settings, Auth.OFF);
    }

    public Transport(EventLoop loop, FrameCodec codec, String self, Listener listener, Settings settings, Auth auth) {
        this.auth = auth;
        this.loop = loop;
        this.codec = codec;
        this.self = self;
        this.listener = listener;
        this.settings = settings;
        loop.schedule(500, this::sweep);
        loop.beforeSelect(this::flushQueued);
        loop.beforeSelect(this::resume);
    }

    /** Authentication for connections made from now on (the master's layout is known only once it starts a cluster). */
    public void authenticate(Auth auth) {
        this.auth = auth;
    }

    public String self() {
        return self;
    }

    /** Binds the listening socket (port 0: any free port) and returns the port; loop thread. */
    public int listen(String host, int wantPort) throws IOException {
        server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress(host, wantPort), 128);
        server.configureBlocking(false);
        server.register(loop.selector(), SelectionKey.OP_ACCEPT, (EventLoop.Ready) k -> accept());
        port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        return port;
    }

    public int port() {
        return port;
    }

    /** Opens the outgoing channel to {@code peer}; with {@code redial} it is kept open for good. */
    public void connect(String peer, InetSocketAddress address, boolean redial) {
        Link old = links.get(peer);
        if (old != null && old.address.equals(address)) {
            return;
        }
        if (old != null && old.conn != null) {
            old.conn.close();
        }
        Link link = new Link(peer, address, redial);
        links.put(peer, link);
        dial(link);
    }

    /**
     * Sends on the outgoing channel to {@code peer}, or, if there is none, back on the connection
     * {@code peer} dialled (how the master answers nodes). Returns false if neither exists.
     */
    public boolean send(String peer, Message m) {
        ByteBuffer frame = frame(m);
        Link link = links.get(peer);
        Connection in = link == null ? inbound.get(peer) : null;
        if (link == null && in == null) {
            LOG.warn("no connection to {}; dropped {}", peer, m);
            return false;
        }
        Trace trace = Trace.get();
        ByteBuffer stamp = trace == null ? null : codec.encode(trace.sent(peer, m, frame));
        if (link != null && !link.up) {
            if (stamp != null) {
                link.waiting.add(stamp);
                link.waitingBytes += stamp.remaining();
            }
            link.waiting.add(frame);
            link.waitingBytes += frame.remaining();
            dropIfOver(link);
            return true;
        }
        Connection c = link != null ? link.conn : in;
        if (stamp != null) {
            write(c, stamp);
        }
        write(c, frame);
        return true;
    }

    private void dial(Link link) {
        if (closed || link.conn != null || links.get(link.peer) != link) {
            return; // closed, already connecting (a redial raced a scheduled one), or replaced
        }
        try {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            Connection c = new Connection(ch, true, codec, link.peer,
                    auth.on() ? Handshake.dial(auth, self, link.peer) : null);
            link.conn = c;
            all.add(c);
            boolean done = ch.connect(link.address);
            c.key = ch.register(loop.selector(), done ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT,
                    (EventLoop.Ready) k -> onOutboundReady(link, c, k));
            if (done) {
                greet(link, c);
            }
        } catch (IOException e) {
            linkFailed(link, link.conn, e.toString());
        }
    }

    private void onOutboundReady(Link link, Connection c, SelectionKey k) {
        try {
            if (k.isConnectable()) {
                c.channel.finishConnect();
                k.interestOps(SelectionKey.OP_READ);
                greet(link, c);
                return;
            }
            serve(c, k);
        } catch (IOException e) {
            linkFailed(link, c, e.toString());
        }
    }

    /** The dialler's first frame: a Hello, or an AuthHello whose handshake must end before the link is up. */
    private void greet(Link link, Connection c) throws IOException {
        if (c.auth == null) {
            c.greet(codec.encode(new Control.Hello(self, port)));
            linkUp(link, c);
        } else {
            c.greet(codec.encode(c.auth.hello(port)));
        }
    }

    private void linkUp(Link link, Connection c) throws IOException {
        link.up = true;
        link.failures = 0;
        while (!link.waiting.isEmpty() && link.conn == c) {
            ByteBuffer b = link.waiting.poll();
            link.waitingBytes -= b.remaining();
            write(c, b); // (a write past the limit fails the connection, and its frames wait again)
        }
        LOG.info("linked to {} at {}", link.peer, link.address);
        listener.onLinked(link.peer);
    }

    /**
     * Drops every frame waiting for a link that holds more than a peer may ({@link
     * Settings#outBytesMax}): all of them, so a traced frame never loses its stamp, and the oldest
     * are the stalest anyway. Nothing is lost for good: every protocol resends what is not answered.
     */
    private void dropIfOver(Link link) {
        if (link.waitingBytes > settings.outBytesMax()) {
            LOG.warn("link to {} is down with {} bytes ({} frames) waiting for it, over the {} a peer may hold:"
                    + " dropped them (they are resent)", link.peer, link.waitingBytes, link.waiting.size(),
                    settings.outBytesMax());
            link.waiting.clear();
            link.waitingBytes = 0;
        }
    }

    private void linkFailed(Link link, Connection c, String why) {
        if (c == null || link.conn != c) {
            return;
        }
        boolean wasUp = link.up;
        link.up = false;
        link.conn = null;
        List<ByteBuffer> resend = c.unsent();
        for (int i = resend.size() - 1; i >= 0; i--) {
            link.waiting.addFirst(resend.get(i));
            link.waitingBytes += resend.get(i).remaining();
        }
        dropIfOver(link);
        c.close();
        all.remove(c);
        paused.remove(c);
        if (wasUp || !link.redial) {
            LOG.warn("link to {} lost: {}", link.peer, why);
            listener.onDisconnected(link.peer, true);
        }
        if (link.redial && !closed && links.get(link.peer) == link) {
            long delay = Math.min(settings.backoffMaxMillis(), settings.backoffMinMillis() << Math.min(link.failures, 16));
            link.failures++;
            loop.schedule(delay / 2 + jitter.nextInt((int) Math.max(1, delay / 2)), () -> dial(link));
        }
    }

    private void accept() {
        try {
            for (SocketChannel ch = server.accept(); ch != null; ch = server.accept()) {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                Connection c = new Connection(ch, false, codec, null, auth.on() ? Handshake.accept(auth, self) : null);
                all.add(c);
                c.key = ch.register(loop.selector(), SelectionKey.OP_READ, (EventLoop.Ready) k -> onInboundReady(c, k));
            }
        } catch (IOException e) {
            LOG.warn("accept failed", e);
        }
    }

    private void onInboundReady(Connection c, SelectionKey k) {
        try {
            serve(c, k);
        } catch (IOException e) {
            drop(c, e.toString());
        }
    }

    /** Writes what is pending and reads what arrived, handing each message to the listener. */
    private void serve(Connection c, SelectionKey k) throws IOException {
        if (k.isValid() && k.isWritable()) {
            c.flush();
        }
        if (!k.isValid() || !k.isReadable() || c.paused) {
            return;
        }
        if (!c.member() && c.held() >= SMALL_HOLDING && buffered() >= settings.bufferBytesMax()) {
            c.pause(true);
            paused.add(c);
            LOG.debug("memory budget spent: not reading {} (holds {} bytes) for now", name(c), c.held());
            return;
        }
        if (!c.read(scratch, body -> onFrame(c, body))) {
            throw new IOException("closed by peer");
        }
    }

    /** Bytes held for frames being read and frames waiting to go, over every connection. */
    private long buffered() {
        long sum = 0;
        for (Connection c : all) {
            sum += c.held();
        }
        return sum;
    }

    /** Once the total is under the budget, reads again from the paused connections, the smallest first. */
    private void resume() {
        if (paused.isEmpty() || buffered() >= settings.bufferBytesMax()) {
            return;
        }
        paused.sort(java.util.Comparator.comparingLong(Connection::held));
        for (Connection c : paused) {
            if (c.channel.isOpen()) {
                c.pause(false);
            }
        }
        paused.clear();
    }

    private static Object name(Connection c) {
        return c.peer == null ? c.channel : c.peer;
    }

    /**
     * One frame as it completes, before the next is read (a handshake's end changes how the next is
     * read). With authentication, frames before its end are the handshake, and every frame after it
     * must pass its MAC; without, the first frame must be a Hello.
     */
    private void onFrame(Connection c, byte[] body) throws FrameCodec.FrameException {
        if (!c.channel.isOpen()) {
            return;
        }
        if (c.auth != null && !c.auth.authenticated()) {
            handshake(c, codec.decode(body));
            return;
        }
        byte[] plain = c.auth == null ? body : open(c, body);
        Message m = codec.decode(plain);
        if (c.peer == null) {
            hello(c, m);
        } else if (m instanceof Control.Hello || m instanceof Control.AuthHello) {
            throw new FrameCodec.FrameException("second Hello on one connection");
        } else if (m instanceof Control.Stamp st) {
            c.stamp = st; // the next message's: see Trace
        } else {
            if (c.role == Auth.Role.CLIENT && !(m instanceof synod.paxos.PaxosMsg.ClientRequest
                    || m instanceof MessageCheck.BadRequest)) {
                throw new FrameCodec.FrameException("a client may send client requests only, not "
                        + m.getClass().getSimpleName());
            }
            Trace trace = Trace.get();
            if (trace != null) {
                trace.received(c.peer, m, c.stamp, plain);
                c.stamp = null;
            }
            deliver(c, m);
        }
    }

    /** A sealed frame's body; an unsealed refusal in its place (the peer refused our proof) is logged as such. */
    private byte[] open(Connection c, byte[] body) throws FrameCodec.FrameException {
        try {
            return c.auth.open(body);
        } catch (FrameCodec.FrameException e) {
            Message m;
            try {
                m = codec.decode(body);
            } catch (FrameCodec.FrameException notOne) {
                throw e;
            }
            if (m instanceof Control.AuthRefused r) {
                LOG.warn("{} refused this connection: {}", c.peer, r.reason());
                throw new FrameCodec.FrameException(c.peer + " refused this connection: " + r.reason());
            }
            throw e;
        }
    }

    /** The next step of {@code c}'s handshake; a refusal is sent, logged and closes the connection. */
    private void handshake(Connection c, Message m) throws FrameCodec.FrameException {
        Handshake hs = c.auth;
        try {
            if (m instanceof Control.AuthRefused r) {
                LOG.warn("{} refused this connection: {}", name(c), r.reason()); // a link not yet up closes quietly
                throw new FrameCodec.FrameException(name(c) + " refused this connection: " + r.reason());
            } else if (c.outbound && m instanceof Control.AuthChallenge ch) {
                Control.AuthProof proof = hs.onChallenge(ch);
                c.greet(codec.encode(proof));
                c.reader.limit(codec.frameBytesMax() + Handshake.MAC_BYTES);
                Link link = links.get(c.peer);
                if (link != null && link.conn == c) {
                    linkUp(link, c);
                }
            } else if (!c.outbound && m instanceof Control.AuthHello h && hs.peer == null) {
                c.greet(codec.encode(hs.onHello(h)));
            } else if (!c.outbound && m instanceof Control.AuthProof p && hs.peer != null) {
                hs.onProof(p);
                c.reader.limit(codec.frameBytesMax() + Handshake.MAC_BYTES);
                c.role = hs.peerRole;
                hello(c, new Control.Hello(hs.peer, hs.peerPort));
            } else {
                throw new FrameCodec.FrameException("out of turn in the handshake: " + m.getClass().getSimpleName());
            }
        } catch (Handshake.Refused e) {
            LOG.warn("refused a connection: {}", e.getMessage());
            try {
                c.greet(codec.encode(new Control.AuthRefused(e.getMessage())));
            } catch (IOException | RuntimeException unsent) {
                // the refusal is a courtesy; the connection closes either way
            }
            throw new FrameCodec.FrameException("handshake refused: " + e.getMessage());
        } catch (IOException e) {
            throw new FrameCodec.FrameException("handshake: " + e.getMessage(), e);
        }
    }

    /**
     * Names an accepted connection. The listener may refuse the Hello like any message; then this
     * connection is closed and a connection the same peer already had is left alone.
     */
    private void hello(Connection c, Message m) throws FrameCodec.FrameException {
        if (!(m instanceof Control.Hello h) || h.from() == null || h.from().isBlank()) {
            throw new FrameCodec.FrameException("first frame is not a Hello: " + m);
        }
        c.peer = h.from();
        Connection old = inbound.put(c.peer, c);
        try {
            listener.onMessage(c.peer, m);
        } catch (BadMessage e) {
            if (old != null) {
                inbound.put(c.peer, old);
            } else {
                inbound.remove(c.peer);
            }
            throw new FrameCodec.FrameException("refused Hello from " + c.peer + ": " + e.getMessage(), e);
        }
        if (old != null && old != c) {
            LOG.info("{} reconnected; closing its old connection", c.peer);
            old.close();
            all.remove(old);
        }
        redialNow(c.peer);
    }

    /**
     * The peer just dialled us, so it is up: if our link to it is waiting out a backoff, dial now.
     * Otherwise a restarted node would hear nothing from us for up to the backoff maximum (a
     * restarted Paxos follower would then time out and depose a healthy leader).
     */
    private void redialNow(String peer) {
        Link link = links.get(peer);
        if (link != null && link.redial && !link.up && link.conn == null) {
            link.failures = 0;
            dial(link);
        }
    }

    private void deliver(Connection c, Message m) throws FrameCodec.FrameException {
        try {
            listener.onMessage(c.peer, m);
        } catch (BadMessage e) {
            throw new FrameCodec.FrameException("refused message from " + c.peer + ": " + e.getMessage(), e);
        }
    }

    /** Messages are immutable: the same message object always encodes to the same frame. */
    private ByteBuffer frame(Message m) {
        if (m != lastMessage) {
            lastFrame = codec.encode(m);
            lastMessage = m;
        }
        return lastFrame.duplicate();
    }

    private void write(Connection c, ByteBuffer frame) {
        if (c.queue(frame)) {
            dirty.add(c);
        }
        if (c.queuedBytes() > settings.outBytesMax()) {
            failed(c, c.queuedBytes() + " bytes queued: peer is not reading");
        }
    }

    /**
     * Writes every connection's queued frames now, rather than when the round ends: for a node that
     * wants its messages on the wire while it waits for its disk. Loop thread.
     */
    public void flushQueued() {
        if (dirty.isEmpty()) {
            return;
        }
        List<Connection> now = new ArrayList<>(dirty);
        dirty.clear();
        for (Connection c : now) {
            if (!c.channel.isOpen() || c.idle()) {
                continue;
            }
            try {
                c.flush();
            } catch (IOException e) {
                failed(c, e.toString());
            }
        }
    }

    private void failed(Connection c, String why) {
        if (c.outbound) {
            Link link = links.get(c.peer);
            if (link != null) {
                linkFailed(link, c, why);
                return;
            }
        }
        drop(c, why);
    }

    /** Closes an accepted connection; the peer will dial again if it wants to. */
    private void drop(Connection c, String why) {
        LOG.warn("closing connection from {}: {}", c.peer == null ? c.channel : c.peer, why);
        c.close();
        all.remove(c);
        paused.remove(c);
        if (c.peer != null && inbound.get(c.peer) == c) {
            inbound.remove(c.peer);
            listener.onDisconnected(c.peer, false);
        }
    }

    /**
     * Every half second: cut connections that stall mid-frame or never say Hello, or have not been
     * read for {@code stallMillis} because they hold the most of a spent memory budget. A paused
     * connection's peer may have gone long ago: its FIN waits behind the bytes this node has not
     * read, so only cutting it frees what it holds (a genuine peer redials and sends again).
     */
    private void sweep() {
        long now = EventLoop.nowMillis();
        for (Connection c : List.copyOf(all)) {
            if (c.paused && now - c.pausedMillis > settings.stallMillis()) {
                failed(c, "not read for " + (now - c.pausedMillis) + " ms, holding " + c.held()
                        + " bytes of a spent memory budget");
            } else if (c.midFrame() && !c.paused && now - c.lastReadMillis > settings.stallMillis()) {
                failed(c, "stalled mid-frame for " + (now - c.lastReadMillis) + " ms");
            } else if (!c.outbound && c.peer == null && now - c.openedMillis > settings.helloMillis()) {
                failed(c, "no Hello within " + settings.helloMillis() + " ms");
            } else if (c.outbound && c.auth != null && !c.auth.authenticated()
                    && now - c.openedMillis > settings.helloMillis()) {
                failed(c, "no handshake within " + settings.helloMillis() + " ms");
            }
        }
        if (!closed) {
            loop.schedule(500, this::sweep);
        }
    }

    /**
     * Cuts this process off from everyone but {@code keep} (its outgoing link, the master's): every
     * other connection and the listening socket close, every other link is forgotten with the
     * frames waiting for it, so nothing is dialled or sent again, and nobody new can connect. What
     * a frozen node ({@link Control.Freeze}) keeps of the world. Loop thread.
     */
    public void isolate(String keep) {
        Link kept = links.get(keep);
        Connection keptConn = kept == null ? null : kept.conn;
        links.keySet().removeIf(peer -> !peer.equals(keep));
        inbound.clear();
        for (Connection c : List.copyOf(all)) {
            if (c != keptConn) {
                c.close();
                all.remove(c);
                paused.remove(c);
                dirty.remove(c);
            }
        }
        closeServer();
    }

    /** Closes the listening socket, if any: nobody new can connect. */
    private void closeServer() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // the socket is being abandoned either way
        }
        server = null;
    }

    /** Closes every connection and the listening socket; loop thread. */
    @Override
    public void close() {
        closed = true;
        for (Connection c : List.copyOf(all)) {
            c.close();
        }
        all.clear();
        closeServer();
    }
}
