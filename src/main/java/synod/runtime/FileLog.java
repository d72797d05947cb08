package synod.runtime;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import synod.core.Check;

/**
 * A node's durable append-only log ({@code logs/<node>/paxos.log} and the like): one JSON object a
 * line, each with its number in the file and a checksum (see {@link LogFormat}), so that a line
 * damaged, missing or out of order anywhere but a torn end is refused. Records are opaque to it;
 * the caller encodes them, and names a record it cannot decode with {@link #damage}. Invariant:
 * every record a {@link #sync} has returned for is on disk, in order, and a fresh {@link #open}
 * will return it; nothing unsynced is ever reported as durable.
 *
 * <p>Durability, and what a crash at each point leaves:
 * <ul>
 *   <li>{@link #open}: creates missing directories and the file, then fsyncs the file's directory
 *       (and the parent of each directory it created) so the file's name survives a crash. It does
 *       so on every open, not only on create: a process killed between creating the file and
 *       fsyncing its directory leaves a file that exists only in the page cache. A torn last line is
 *       cut (truncate, then {@code force(true)}: the new length is metadata); any other bad line is
 *       {@link LogDamage} and the file is left untouched.</li>
 *   <li>{@link #append} only copies into memory: no system call. A crash loses all of it.</li>
 *   <li>{@link #sync}: one write of everything pending, then one {@code force(true)} (group commit).
 *       A process killed before the force returns leaves a prefix of those bytes (the page cache
 *       survives it); a machine crash can also leave NUL where pages never reached the disk.
 *       Recovery cuts a torn last line. It refuses (LogDamage) the rarer case of a hole with intact
 *       lines of the same unsynced batch after it: it cannot tell that from damage, and refusing is
 *       the safe side (a record in a batch whose sync never returned was never acted on, but a
 *       record further back may have been). Why {@code true}: the log grows on every sync, so
 *       its length changes each time, and {@link FileChannel#force} promises to write metadata only
 *       with {@code true}. (On Linux {@code false} is fdatasync, which would include the length; on
 *       ext4 an append needs a journal commit either way, so {@code true} costs little: see
 *       {@code FsyncBench}.)</li>
 *   <li>{@link #rewrite}: writes {@code <name>.rewrite.tmp} beside the log and forces it, renames it
 *       over the log, forces the directory. A crash before the rename leaves the old log (and a temp
 *       file that the next open deletes); after it, the new log, whole, since it was forced before
 *       the rename made it visible. Those two files are the only ones this class creates.</li>
 * </ul>
 *
 * <p>A failed write or force is fatal: after a failed fsync Linux may have dropped the dirty pages
 * and a retry can "succeed" with the data lost, so no one can know what is on disk. The caller must
 * end the process (ARCHITECTURE: a failed fsync ends the process); recovery at the next start reads
 * what is really there. Until then this log refuses every further use with IllegalStateException.
 *
 * <p>Not thread-safe: one event loop owns it.
 */
public final class FileLog implements AutoCloseable {
    static final String TEMP_SUFFIX = ".rewrite.tmp";
    /** {@link FileChannel#force} argument for every force of the log's content; see the class comment. */
    static final boolean FORCE_METADATA = true;
    private static final int PENDING_INITIAL = 64 * 1024;
    /** After a sync, a buffer grown past this is dropped, so one burst does not pin memory for good. */
    private static final int PENDING_KEEP = 4 << 20;
    private static final int REWRITE_BUFFER = 256 * 1024;

    private final Path file;
    private final Path dir;
    private final List<String> recovered;
    private final long[] recoveredAt;
    private final String tornTail;
    /** The number the next appended record gets: records are numbered from 1 in the file. */
    private long nextNumber;
    private FileChannel channel;
    private byte[] pending = new byte[PENDING_INITIAL];
    private int pendingBytes;
    private long appended;
    private long syncs;
    private IOException failure;
    private boolean closed;

    private FileLog(Path file, FileChannel channel, LogRecovery.Result r) {
        this.file = file;
        this.dir = file.toAbsolutePath().getParent();
        this.channel = channel;
        this.recovered = Collections.unmodifiableList(r.records());
        this.recoveredAt = r.offsets();
        this.tornTail = r.torn();
        this.nextNumber = r.records().size() + 1L;
    }

    /**
     * Opens or creates the log at {@code file} and recovers it. Throws {@link LogDamage} if it holds
     * damage a crash cannot explain; the node must then refuse to start.
     */
    public static FileLog open(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        List<Path> made = createDirectories(dir);
        FileChannel ch = FileChannel.open(file, CREATE, READ, WRITE);
        try {
            for (Path d : made) {
                forceDirectory(d.getParent());
            }
            forceDirectory(dir);
            // a rewrite that crashed before its rename: the log beside it is the whole old one
            Files.deleteIfExists(tempFile(file));
            LogRecovery.Result r = LogRecovery.scan(file, ch);
            if (r.torn() != null) {
                ch.truncate(r.goodEnd());
                ch.force(true);
            }
            ch.position(r.goodEnd());
            return new FileLog(file, ch, r);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The records found at open, oldest first. */
    public List<String> recovered() {
        return recovered;
    }

    /**
     * Damage in recovered record {@code index} (from 0) that only the caller can see (a record type
     * it does not know, say): names the file, the line and its byte, as recovery does. The caller
     * throws it and the node refuses to start.
     */
    public LogDamage damage(int index, String what) {
        return new LogDamage(file, index + 1L, recoveredAt[index], what + "; refusing to recover");
    }

    /** What open cut off as a torn last line, for the node's diagnostic log; null if nothing. */
    public String tornTail() {
        return tornTail;
    }

    /**
     * Adds a record (one JSON object, no newline; IllegalArgumentException otherwise) to the batch
     * the next {@link #sync} writes. Not durable, and not on disk at all, until then.
     */
    public void append(String json) {
        appendChecked(LogFormat.body(json));
    }

    /**
     * The same for a record already encoded: {@code utf8Json}, the UTF-8 bytes of one JSON object
     * (checked by {@link LogFormat#checkBody}). What a node appends on its hot path: Jackson writes
     * bytes, and a String between would decode and re-encode every record.
     */
    public void append(byte[] utf8Json) {
        LogFormat.checkBody(utf8Json);
        appendChecked(utf8Json);
    }

    private void appendChecked(byte[] body) {
        usable();
        long need = (long) pendingBytes + body.length + LogFormat.OVERHEAD_MAX;
        Check.that(need <= Integer.MAX_VALUE - 8, "%s: %d bytes appended without a sync", file, need);
        if (need > pending.length) {
            pending = Arrays.copyOf(pending, (int) Math.min(Integer.MAX_VALUE - 8,
                    Math.max(need, 2L * pending.length)));
        }
        pendingBytes = LogFormat.writeLine(body, nextNumber++, pending, pendingBytes);
        appended++;
    }

    /**
     * Makes every record appended so far durable: one write, one force. A no-op if nothing is
     * pending. An IOException here is fatal: the caller must end the process (see the class comment).
     */
    public void sync() throws IOException {
        usable();
        if (pendingBytes == 0) {
            return;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(pending, 0, pendingBytes);
            while (b.hasRemaining()) {
                channel.write(b);
            }
            channel.force(FORCE_METADATA);
        } catch (IOException | RuntimeException e) {
            throw fail("sync", e);
        }
        syncs++;
        pendingBytes = 0;
        if (pending.length > PENDING_KEEP) {
            pending = new byte[PENDING_INITIAL];
        }
    }

    /** Records appended since open (synced or not). */
    public long appendedSinceOpen() {
        return appended;
    }

    /** Forces done by {@link #sync} since open: one per sync that had something to write. */
    public long syncs() {
        return syncs;
    }

    /**
     * Compaction: the log becomes exactly {@code records}, atomically (a crash leaves the whole old
     * log or the whole new one). Every record is checked before anything is written. Nothing may be
     * pending: sync first, so that what the caller checkpointed is what the log held. An
     * IOException is fatal, as for {@link #sync}.
     */
    public void rewrite(List<String> records) throws IOException {
        List<byte[]> bodies = new java.util.ArrayList<>(records.size());
        for (String r : records) {
            bodies.add(LogFormat.body(r));
        }
        rewriteChecked(bodies);
    }

    /** The same for records already encoded as UTF-8 JSON (each checked by {@link LogFormat#checkBody}). */
    public void rewriteBytes(List<byte[]> records) throws IOException {
        records.forEach(LogFormat::checkBody);
        rewriteChecked(records);
    }

    private void rewriteChecked(List<byte[]> bodies) throws IOException {
        usable();
        Check.that(pendingBytes == 0, "%s: rewrite with %d unsynced bytes: sync first", file, pendingBytes);
        try {
            install(writeTemp(bodies), bodies.size());
        } catch (IOException | RuntimeException e) {
            throw fail("rewrite", e);
        }
    }

    /** Rewrite's first step: the new log in the temp file, forced. The old log is untouched. */
    Path writeTemp(List<byte[]> bodies) throws IOException {
        Path tmp = tempFile(file);
        try (FileChannel t = FileChannel.open(tmp, CREATE, TRUNCATE_EXISTING, WRITE)) {
            byte[] buf = new byte[REWRITE_BUFFER];
            int used = 0;
            long number = 1;
            for (byte[] body : bodies) {
                int lineBytes = LogFormat.lineBytes(body.length, number);
                if (used + lineBytes > buf.length) {
                    writeAll(t, buf, used);
                    used = 0;
                }
                if (lineBytes > buf.length) {
                    byte[] line = new byte[lineBytes];
                    writeAll(t, line, LogFormat.writeLine(body, number, line, 0));
                } else {
                    used = LogFormat.writeLine(body, number, buf, used);
                }
                number++;
            }
            writeAll(t, buf, used);
            t.force(FORCE_METADATA);
        }
        return tmp;
    }

    /** Rewrite's second step: the forced temp file, of {@code records} records, replaces the log, and the log reopens on it. */
    void install(Path tmp, int records) throws IOException {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(dir);
        FileChannel next = FileChannel.open(file, READ, WRITE);
        next.position(next.size());
        FileChannel old = channel;
        channel = next;
        nextNumber = records + 1L;
        old.close();
    }

    /** Syncs what is pending (a clean close loses nothing), then closes. Closing twice is harmless. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            if (failure == null) {
                sync();
            }
        } finally {
            closed = true;
            channel.close();
        }
    }

    /** The temp file a rewrite of {@code file} writes; open deletes a leftover one. */
    static Path tempFile(Path file) {
        return file.resolveSibling(file.getFileName() + TEMP_SUFFIX);
    }

    private void usable() {
        if (failure != null) {
            throw new IllegalStateException(file + ": unusable after a failed write or force; the process must end",
                    failure);
        }
        if (closed) {
            throw new IllegalStateException(file + ": closed");
        }
    }

    private IOException fail(String what, Exception cause) {
        failure = new IOException(file + ": " + what + " failed, so what is on disk is unknown: the process "
                + "must end (" + cause + ")", cause);
        return failure;
    }

    private static void writeAll(FileChannel ch, byte[] bytes, int length) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, length);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Creates {@code dir} and its missing ancestors; returns those it created, outermost first. */
    private static List<Path> createDirectories(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.add(0, p);
        }
        Files.createDirectories(dir);
        return missing;
    }

    /** Makes the directory's entries (a created file, a rename) survive a crash. Linux/POSIX only. */
    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, READ)) {
            d.force(true);
        }
    }
}
