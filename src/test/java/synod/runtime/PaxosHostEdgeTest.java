package synod.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import synod.app.Result;
import synod.app.Services;
import synod.core.Message;
import synod.paxos.PaxosConfig;
import synod.paxos.PaxosMsg;
import synod.paxos.PaxosNode;

/**
 * A real one-node group (PaxosHost, its log, its sockets, in this JVM) faced by a raw client that
 * sends the requests a harness found poisonous. Each must be answered with an error result and
 * never reach the log, and the node must still serve a good request afterwards.
 */
class PaxosHostEdgeTest {
    static final int BOUND_MILLIS = 10_000;
    static final int FRAME = 1 << 20;

    @TempDir
    Path tmp;
    EventLoop loop;
    FileLog disk;
    final AtomicBoolean crashed = new AtomicBoolean();
    final FrameCodec codec = new FrameCodec(FRAME);
    Socket socket;
    DataInputStream in;
    int port;

    @AfterEach
    void stop() throws IOException {
        if (socket != null) {
            socket.close();
        }
        if (loop != null) {
            loop.close();
        }
        if (disk != null) {
            disk.close();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    void startNode() throws IOException {
        startNode(null);
        connect("tester");
    }

    /** The one-node group, dialling {@code master} (null: no master) as a spawned node does. */
    PaxosHost startNode(InetSocketAddress master) throws IOException {
        disk = FileLog.open(tmp.resolve("n1").resolve("paxos.log"));
        PaxosNode node = new PaxosNode(PaxosConfig.of(List.of("n1")), "n1", new Services(), new Random(1));
        loop = new EventLoop("edge-n1");
        loop.onCrash(() -> crashed.set(true));
        PaxosHost host = new PaxosHost(node, List.of("n1"), disk, loop, codec, Transport.Settings.DEFAULT, false);
        port = freePort();
        host.start(new InetSocketAddress("127.0.0.1", port), List.of(), List.of(), master, 10);
        loop.start();
        return host;
    }

    /** Dials the node (retrying while it starts to listen) and says Hello as {@code as}. */
    private void connect(String as) throws IOException {
        long deadline = System.currentTimeMillis() + BOUND_MILLIS;
        while (socket == null) {
            try {
                socket = new Socket("127.0.0.1", port);
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                sleep(20);
            }
        }
        socket.setSoTimeout(BOUND_MILLIS);
        in = new DataInputStream(socket.getInputStream());
        send(new Control.Hello(as, -1));
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void send(Message m) throws IOException {
        ByteBuffer f = codec.encode(m);
        socket.getOutputStream().write(f.array(), 0, f.limit());
    }

    void sendJson(String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(ByteBuffer.allocate(4).putInt(body.length).array());
        out.write(body);
    }

    /** The next ClientReply for {@code seq}, skipping anything else. */
    PaxosMsg.ClientReply reply(long seq) throws IOException {
        while (true) {
            byte[] body = new byte[in.readInt()];
            in.readFully(body);
            Message m = codec.decode(body);
            if (m instanceof PaxosMsg.ClientReply r && r.seq() == seq) {
                return r;
            }
        }
    }

    static String request(String client, long seq, String op) {
        return "{\"type\":\"ClientRequest\",\"request\":{\"client\":" + client + ",\"seq\":" + seq + ",\"op\":" + op + "}}";
    }

    /** Waits until the one-node group has elected itself and answers a good request (a request before that waits for ever). */
    void awaitServing() throws IOException {
        long deadline = System.currentTimeMillis() + BOUND_MILLIS;
        socket.setSoTimeout(200);
        for (long seq = 1; ; seq++) {
            sendJson(request("\"warm\"", seq, "{\"op\":\"put\",\"key\":\"w\",\"value\":\"1\"}"));
            try {
                if (reply(seq).result() instanceof Result.Ok) {
                    socket.setSoTimeout(BOUND_MILLIS);
                    return;
                }
            } catch (java.net.SocketTimeoutException e) {
                // not leading yet: ask again
            }
            if (System.currentTimeMillis() > deadline) {
                fail("the node never served");
            }
        }
    }

    /**
     * A FLUSH at the host: a Freeze on the master's link is answered Frozen there and a peer's
     * connection is closed, while the master's link still carries queries; a Reset then ends the
     * loop, asking for the layout given.
     */
    @Test
    void aFrozenNodeAnswersOnlyItsMasterAndAResetEndsItsLoop() throws Exception {
        try (ServerSocket masterSide = new ServerSocket(0)) {
            PaxosHost host = startNode(new InetSocketAddress("127.0.0.1", masterSide.getLocalPort()));
            connect("n2");
            awaitServing(); // a peer's connection, as far as the node knows (authentication is off here)
            Socket master = masterSide.accept();
            try {
                master.setSoTimeout(BOUND_MILLIS);
                DataInputStream fromNode = new DataInputStream(master.getInputStream());
                assertEquals(new Control.Hello("n1", port), next(fromNode));
                write(master, new Control.Freeze());
                assertEquals(new Control.Frozen(), next(fromNode));
                assertEquals(-1, readOrReset(in), "the peer's connection stays open");
                write(master, new Control.Query(7, "info", 0)); // still answers its master
                assertTrue(next(fromNode) instanceof Control.QueryReply);
                write(master, new Control.Reset(2, 3));
                assertEquals(-1, readOrReset(fromNode), "the master's link stays open after the Reset");
            } catch (IOException | AssertionError e) {
                loop.close(); // first: a node whose master's link closes halts this JVM, and the failure with it
                throw e;
            } finally {
                master.close();
            }
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofMillis(BOUND_MILLIS),
                    () -> loop.join());
            assertTrue(host.resetAsked());
            assertEquals(Layout.of(2, 3), host.resetLayout());
            assertFalse(crashed.get());
        }
    }

    private Message next(DataInputStream from) throws IOException {
        byte[] body = new byte[from.readInt()];
        from.readFully(body);
        return codec.decode(body);
    }

    private void write(Socket to, Message m) throws IOException {
        ByteBuffer f = codec.encode(m);
        to.getOutputStream().write(f.array(), 0, f.limit());
    }

    /** -1 once the node has closed the connection (an end of stream, or a reset of what it left unread). */
    private static int readOrReset(DataInputStream from) throws IOException {
        try {
            while (from.read() != -1) {
                // what the node sent before it closed
            }
            return -1;
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }

    @Test
    void poisonousRequestsAreAnsweredWithAnErrorAndNeverLogged() throws Exception {
        startNode();
        awaitServing();
        List<String> poison = List.of(
                request("\"c\"", 1, "{\"op\":\"put\",\"key\":null,\"value\":\"v\"}"),
                request("\"c\"", 2, "{\"op\":\"get\"}"),
                request("\"c\"", 3, "{\"op\":\"delete\",\"key\":null}"),
                request("\"c\"", 4, "{\"op\":\"lock\",\"lock\":null}"),
                request("\"c\"", 5, "null"),
                request("\"c\"", 6, "{\"op\":\"put\",\"key\":\"k\",\"value\":\"\\ud800\"}"),
                request("null", 7, "{\"op\":\"lock\",\"lock\":\"x\"}"));
        for (int i = 0; i < poison.size(); i++) {
            sendJson(poison.get(i));
            PaxosMsg.ClientReply r = reply(i + 1);
            assertTrue(r.result() instanceof Result.Aborted a && a.reason().startsWith("bad request: "),
                    poison.get(i) + " was answered " + r);
        }
        sendJson("{\"type\":\"ClientRequest\",\"request\":null}");
        sendJson(request("\"c\"", 8, "{\"op\":\"put\",\"key\":\"k\",\"value\":\"fine\"}"));
        assertEquals(new Result.Ok(), reply(8).result(), "the node still serves");
        assertFalse(crashed.get(), "the node's loop crashed");
        String log = Files.readString(tmp.resolve("n1").resolve("paxos.log"));
        assertTrue(log.contains("fine"), "the good request is in the log");
        assertFalse(log.contains("\"key\":null") || log.contains("\"op\":null") || log.contains("\"client\":null")
                || log.contains("\\ud800") || log.contains("\\uD800"), "a refused request reached the log:\n" + log);
        assertNotNull(socket);
    }

    /** The next QueryReply for {@code seq}, skipping anything else. */
    Control.QueryReply queryReply(long seq) throws IOException {
        while (true) {
            byte[] body = new byte[in.readInt()];
            in.readFully(body);
            Message m = codec.decode(body);
            if (m instanceof Control.QueryReply r && r.seq() == seq) {
                return r;
            }
        }
    }

    @Test
    void theMastersQueriesAfterBigPutsAreAnsweredWithinAFrame() throws Exception {
        startNode();
        awaitServing();
        for (int i = 1; i <= 4; i++) {
            sendJson(request("\"c\"", i, "{\"op\":\"put\",\"key\":\"k" + i + "\",\"value\":\"" + "v".repeat(300_000)
                    + "\"}"));
            assertEquals(new Result.Ok(), reply(i).result());
        }
        socket.close();
        socket = null;
        // the master's connection: PrintLog, PrintView, the checkers' state
        connect("master");
        long seq = 0;
        for (String what : List.of("log", "state", "view", "info")) {
            send(new Control.Query(++seq, what, 0));
            Control.QueryReply r = queryReply(seq);
            assertFalse(r.lines().isEmpty(), what);
        }
        assertFalse(crashed.get(), "the node's loop crashed");
    }
}
