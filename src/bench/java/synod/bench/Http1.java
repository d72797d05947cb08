package synod.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A lean HTTP/1.1 client for load generation: one keep-alive connection per closed-loop client, all
 * driven by one selector thread, requests built once by the caller. It exists because
 * {@link java.net.http.HttpClient} costs this machine's generator about 0.2 ms of CPU and a thread
 * hand-off per request, which on 2 cores throttled etcd to a third of what it serves this client
 * (docs/bench.md). It understands exactly what a benchmark needs: replies with a Content-Length.
 */
final class Http1 implements AutoCloseable {
    /** A reply: its status code and body. */
    record Reply(int status, String body) {}

    private static final int MAX_REPLY = 64 * 1024;

    private final Selector selector;
    private final Conn[] conns;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    /** One connection's state, touched only by the selector thread. */
    private static final class Conn {
        final SocketChannel ch;
        SelectionKey key;
        ByteBuffer out;
        ByteBuffer in = ByteBuffer.allocate(4096);
        CompletableFuture<Reply> pending;

        Conn(SocketChannel ch) {
            this.ch = ch;
        }
    }

    /** Opens {@code connections} connections to {@code server}. */
    Http1(InetSocketAddress server, int connections) throws IOException {
        selector = Selector.open();
        conns = new Conn[connections];
        try {
            for (int c = 0; c < connections; c++) {
                SocketChannel ch = SocketChannel.open(server);
                ch.socket().setTcpNoDelay(true);
                ch.configureBlocking(false);
                conns[c] = new Conn(ch);
                conns[c].key = ch.register(selector, SelectionKey.OP_READ, conns[c]);
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        thread = new Thread(this::loop, "http1");
        thread.setDaemon(true);
        thread.start();
    }

    /** {@code POST path} with a JSON body, as bytes ready to send on any connection to {@code host}. */
    static byte[] post(String host, String path, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = java.util.Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /** Sends {@code request} on connection {@code conn}, which must have no request outstanding. */
    CompletableFuture<Reply> send(int conn, byte[] request) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        Conn c = conns[conn];
        if (Thread.currentThread() == thread) {
            // the usual case: a closed-loop client's next request, sent from the previous reply's callback
            write(c, request, reply);
        } else {
            tasks.add(() -> write(c, request, reply));
            selector.wakeup();
        }
        return reply;
    }

    private void write(Conn c, byte[] request, CompletableFuture<Reply> reply) {
        if (c.pending != null) {
            reply.completeExceptionally(new IllegalStateException("a request is already outstanding on this connection"));
            return;
        }
        c.pending = reply;
        c.out = ByteBuffer.wrap(request);
        try {
            c.ch.write(c.out);
            if (c.out.hasRemaining()) {
                c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
        } catch (IOException e) {
            fail(c, e);
        }
    }

    private void loop() {
        while (!closed) {
            try {
                selector.select();
            } catch (IOException e) {
                failAll(e);
                return;
            }
            for (Runnable t = tasks.poll(); t != null; t = tasks.poll()) {
                t.run();
            }
            for (SelectionKey k : selector.selectedKeys()) {
                Conn c = (Conn) k.attachment();
                try {
                    if (k.isValid() && k.isWritable()) {
                        c.ch.write(c.out);
                        if (!c.out.hasRemaining()) {
                            k.interestOps(SelectionKey.OP_READ);
                        }
                    }
                    if (k.isValid() && k.isReadable()) {
                        read(c);
                    }
                } catch (IOException | RuntimeException e) {
                    fail(c, e);
                }
            }
            selector.selectedKeys().clear();
        }
    }

    private void read(Conn c) throws IOException {
        if (!c.in.hasRemaining()) {
            if (c.in.capacity() >= MAX_REPLY) {
                throw new IOException("reply larger than " + MAX_REPLY + " bytes");
            }
            c.in = ByteBuffer.allocate(c.in.capacity() * 2).put(c.in.flip());
        }
        if (c.ch.read(c.in) < 0) {
            throw new IOException("the server closed the connection");
        }
        Reply r = parse(c.in);
        if (r == null) {
            return;
        }
        if (c.pending == null) {
            throw new IOException("a reply nobody asked for: " + r);
        }
        c.in.clear();
        CompletableFuture<Reply> done = c.pending;
        c.pending = null;
        done.complete(r);
    }

    /** The reply in {@code in} (position = bytes read so far), or null while it is incomplete. */
    private static Reply parse(ByteBuffer in) throws IOException {
        String got = new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
        int headEnd = got.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return null;
        }
        int length = -1;
        for (String line : got.substring(0, headEnd).split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        if (length < 0) {
            throw new IOException("a reply without Content-Length: " + got.substring(0, headEnd));
        }
        int total = headEnd + 4 + length;
        if (got.length() < total) {
            return null;
        }
        if (got.length() > total || !got.startsWith("HTTP/1.1 ")) {
            throw new IOException("not one HTTP/1.1 reply: " + got);
        }
        String body = new String(in.array(), headEnd + 4, length, StandardCharsets.UTF_8);
        return new Reply(Integer.parseInt(got.substring(9, 12)), body);
    }

    private void failAll(Exception e) {
        for (Conn c : conns) {
            fail(c, e);
        }
    }

    private void fail(Conn c, Exception e) {
        c.key.cancel();
        CompletableFuture<Reply> p = c.pending;
        c.pending = null;
        if (p != null) {
            p.completeExceptionally(e);
        }
    }

    /** Stops the selector thread, then closes every connection; a request still outstanding fails. */
    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            selector.wakeup();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Conn c : conns) {
            if (c != null) {
                try {
                    c.ch.close();
                } catch (IOException e) {
                    // closing: nothing more to do with this connection
                }
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            // closing
        }
    }
}
