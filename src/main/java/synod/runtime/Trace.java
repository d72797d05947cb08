package synod.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import synod.core.Message;

/**
 * The run's recording ({@code bin/master --trace}): one per process, off unless started. Each
 * event (a message sent or received, a record forced, a protocol point, a crash, a start, a
 * script command) is a JSON line of {@code logs/<self>/trace.jsonl} with this process's vector
 * clock. The clock rides in a {@link Control.Stamp} frame written just before each message, only
 * while tracing is on, so an untraced run's frames are unchanged; the stamp also names the send
 * event, so the merge draws each arrow from its exact send.
 *
 * <p>Writes are buffered and done by a thread of their own: every {@link #FLUSH_MILLIS} ms, sooner
 * at {@link #FLUSH_EVENTS} events, and when the process exits by itself. A process killed with -9
 * loses what was not yet written. At start the own clock continues {@link #RESTART_GAP} past the
 * last recorded value, so a restarted node never reuses a clock value its lost events sent out.
 *
 * <p>Called from the event loop and, in the master, from several threads: every method is synchronized.
 */
public final class Trace {
    public static final String FILE = "trace.jsonl";
    static final int FLUSH_EVENTS = 512;
    /**
     * How far past its last recorded clock a restarted process begins: more events than its
     * unwritten buffer can have held when it was killed (a 200 ms window), so no clock value its
     * lost events sent out is used again.
     */
    static final long RESTART_GAP = 1 << 20;
    static final long FLUSH_MILLIS = 200;
    /** A field's value longer than this (a batch of commands, a checkpoint) is cut: the picture needs its gist. */
    static final int FIELD_CHARS = 120;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile Trace current;

    private final String self;
    private final Writer out;
    private final Map<String, Long> clock = new TreeMap<>();
    private final StringBuilder buffer = new StringBuilder(1 << 16);
    private int buffered;
    private volatile Thread writer;

    private Trace(String self, Writer out, long ownFrom) {
        this.self = self;
        this.out = out;
        clock.put(self, ownFrom);
    }

    /** The recorder of this process, or null when tracing is off. */
    public static Trace get() {
        return current;
    }

    /** Starts recording for this process as {@code self}, appending to {@code logs/<self>/trace.jsonl}. */
    public static synchronized Trace start(Path logs, String self) throws IOException {
        if (current != null) {
            return current;
        }
        Path file = logs.resolve(self).resolve(FILE);
        Files.createDirectories(file.getParent());
        long last = lastOwnClock(file, self);
        Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        Trace t = new Trace(self, w, last < 0 ? 0 : last + RESTART_GAP);
        Thread flusher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                java.util.concurrent.locks.LockSupport.parkNanos(FLUSH_MILLIS * 1_000_000);
                t.flush();
            }
        }, "trace-flush");
        flusher.setDaemon(true);
        t.writer = flusher;
        flusher.start();
        Runtime.getRuntime().addShutdownHook(new Thread(t::flush, "trace-exit"));
        current = t;
        return t;
    }

    /** How much of an old trace's end is read at start: far more than its last few events take. */
    static final int TAIL_BYTES = 1 << 20;

    /**
     * The own clock value of the last event in {@code file} (-1 if none): what a restart continues
     * from. Only the file's end is read (a long run's trace is hundreds of MB; a node's heap is 64).
     */
    public static long lastOwnClock(Path file, String self) throws IOException {
        if (!Files.exists(file)) {
            return -1;
        }
        String tail;
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            long from = Math.max(0, ch.size() - TAIL_BYTES);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) (ch.size() - from));
            while (b.hasRemaining() && ch.read(b, from + b.position()) >= 0) {
                // reads to the end
            }
            tail = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
        }
        long last = -1;
        for (String line : tail.split("\n")) {
            try {
                JsonNode vc = JSON.readTree(line).path("vc").path(self);
                last = Math.max(last, vc.asLong(-1));
            } catch (IOException torn) {
                // a line cut by kill -9, or by where the tail begins: the others still count
            }
        }
        return last;
    }

    public String self() {
        return self;
    }

    /** Records sending {@code m} to {@code to}; the stamp to write just before it. */
    public synchronized Control.Stamp sent(String to, Message m, ByteBuffer frame) {
        String id = tick();
        StringBuilder e = event(id, "send", m.getClass().getSimpleName());
        text(e.append(",\"peer\":"), to);
        ByteBuffer body = frame.duplicate();
        body.position(body.position() + 4); // past the length prefix
        write(fields(e.append(",\"f\":"), body).append('}'));
        return new Control.Stamp(id, Map.copyOf(clock));
    }

    /** Records receiving {@code m} from {@code from}, after the {@code stamp} that came before it (null if none). */
    public synchronized void received(String from, Message m, Control.Stamp stamp, byte[] body) {
        if (stamp != null) {
            stamp.clock().forEach((k, v) -> {
                if (!k.equals(self)) {
                    clock.merge(k, v, Math::max);
                }
            });
        }
        String id = tick();
        StringBuilder e = event(id, "recv", m.getClass().getSimpleName());
        text(e.append(",\"peer\":"), from);
        if (stamp != null) {
            text(e.append(",\"src\":"), stamp.event());
        }
        write(fields(e.append(",\"f\":"), ByteBuffer.wrap(body)).append('}'));
    }

    /**
     * Records a local event: {@code kind} is "persist", "point", "crash", "start", "cut", "cmd",
     * "kill"...; {@code what} says which; {@code fields} (key, value, key, value...) add detail.
     */
    public synchronized void note(String kind, String what, Object... fields) {
        StringBuilder e = event(tick(), kind, what).append(",\"f\":{");
        for (int i = 0; i + 1 < fields.length; i += 2) {
            text(e.append(i == 0 ? "" : ","), String.valueOf(fields[i]));
            text(e.append(':'), cut(String.valueOf(fields[i + 1])));
        }
        write(e.append("}}"));
    }

    /**
     * Writes what is buffered: by the writer thread, and at exit. The buffer is taken under the
     * lock and written outside it, so a node's event loop never waits for the disk (on a machine
     * busy with fsyncs, a write can stall for milliseconds).
     */
    public void flush() {
        String lines;
        synchronized (this) {
            if (buffer.isEmpty()) {
                return;
            }
            lines = buffer.toString();
            buffer.setLength(0);
            buffered = 0;
        }
        synchronized (out) {
            try {
                out.write(lines);
                out.flush();
            } catch (IOException e) {
                // the trace is a diagnostic: a full disk must not stop the node, so what cannot be written is dropped
            }
        }
    }

    private String tick() {
        long now = clock.merge(self, 1L, Long::sum);
        return self + ":" + now;
    }

    /**
     * An event's line up to its clock, written by hand: building a Jackson tree per event cost tens
     * of microseconds (a node's C1-compiled code), several times a Paxos round's own work.
     */
    private StringBuilder event(String id, String kind, String type) {
        Instant now = Instant.now();
        StringBuilder e = new StringBuilder(256);
        text(e.append("{\"id\":"), id);
        text(e.append(",\"node\":"), self);
        e.append(",\"us\":").append(now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000);
        text(e.append(",\"kind\":"), kind);
        text(e.append(",\"type\":"), type);
        e.append(",\"vc\":{");
        boolean first = true;
        for (Map.Entry<String, Long> c : clock.entrySet()) {
            text(e.append(first ? "" : ","), c.getKey()).append(':').append(c.getValue());
            first = false;
        }
        return e.append('}');
    }

    /** {@code s} as a JSON string. */
    static StringBuilder text(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"');
    }

    /**
     * A message's fields: its frame's JSON as it is when short (the codec's, so already encoded),
     * else the first {@link #FIELD_CHARS} characters of it as text (a batch of commands or a
     * checkpoint: the ballot and slot come first). No second encoding, no tree.
     */
    public static StringBuilder fields(StringBuilder e, ByteBuffer json) {
        int n = json.remaining();
        if (n <= 4 * FIELD_CHARS) {
            return e.append(StandardCharsets.UTF_8.decode(json));
        }
        ByteBuffer head = json.duplicate();
        head.limit(head.position() + 4 * FIELD_CHARS);
        String text = StandardCharsets.UTF_8.decode(head).toString();
        return text(e.append("{\"json\":"), cut(text) + " (" + n + " bytes)").append('}');
    }

    /** Buffers an event line; the writer thread is woken when much is waiting. Never writes here. */
    private void write(StringBuilder e) {
        buffer.append(e).append('\n');
        if (++buffered == FLUSH_EVENTS && writer != null) {
            java.util.concurrent.locks.LockSupport.unpark(writer);
        }
    }

    static String cut(String s) {
        return s.length() <= FIELD_CHARS ? s : s.substring(0, FIELD_CHARS - 1) + "…";
    }

    /** Deletes every {@code logs/<node>/trace.jsonl}: a traced run starts with none from earlier runs. */
    public static void clear(Path logs) throws IOException {
        if (!Files.isDirectory(logs)) {
            return;
        }
        try (var dirs = Files.list(logs)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                Files.deleteIfExists(d.resolve(FILE));
            }
        }
    }

    /** Every node's events file under {@code logs}. */
    public static List<Path> files(Path logs) throws IOException {
        if (!Files.isDirectory(logs)) {
            return List.of();
        }
        try (var dirs = Files.list(logs)) {
            return dirs.filter(Files::isDirectory).map(d -> d.resolve(FILE)).filter(Files::exists).sorted().toList();
        }
    }
}
