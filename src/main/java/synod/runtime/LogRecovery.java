package synod.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@link FileLog} at open and decides what a crash can explain. A crash can only tear the
 * end of the file: the last line may lack its newline, or be cut, or hold NUL bytes the file system
 * left where data never reached the disk. So only the LAST line may be bad; that line is reported
 * as torn and the good prefix's length returned for the caller to truncate to. Any other bad line,
 * and any line whose checksum holds but whose record does not parse or whose number is not its
 * place in the file (a line missing, repeated or moved), is {@link LogDamage}. This
 * class only reads; it never changes the file.
 */
final class LogRecovery {
    /** The good records, where each starts, where the good prefix ends, and what was torn after it (null if nothing). */
    record Result(List<String> records, long[] offsets, long goodEnd, String torn) {}

    /** A terminated line that failed its frame check: torn if nothing follows it, damage if anything does. */
    private record Bad(long line, long offset, String problem, long bytes) {}

    /** The longest line, without its newline, that a writer can produce. */
    private static final int LINE_BYTES_MAX = LogFormat.RECORD_BYTES_MAX + LogFormat.OVERHEAD_MAX - 1;

    private final Path file;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
    private final List<String> records = new ArrayList<>();
    private long[] offsets = new long[64];
    /** The line being read; bytes beyond the longest line a writer can produce are counted, not kept. */
    private byte[] line = new byte[4096];
    private long lineBytes;
    private boolean lineAllNul = true;
    private long lineNo = 1;
    private long lineStart;
    private Bad bad;

    private LogRecovery(Path file) {
        this.file = file;
    }

    /** Scans all of {@code channel} (the log at {@code file}) from its start. */
    static Result scan(Path file, FileChannel channel) throws IOException {
        return new LogRecovery(file).run(channel);
    }

    private Result run(FileChannel channel) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        long size = channel.size();
        long pos = 0;
        while (pos < size) {
            chunk.clear();
            int n = channel.read(chunk, pos);
            if (n < 0) {
                throw new IOException(file + ": shrank from " + size + " to " + pos + " bytes while being recovered");
            }
            byte[] a = chunk.array();
            int from = 0;
            for (int i = 0; i < n; i++) {
                if (a[i] == '\n') {
                    keep(a, from, i - from);
                    endLine(pos + i + 1);
                    from = i + 1;
                }
            }
            keep(a, from, n - from);
            pos += n;
        }
        return finish(size);
    }

    private void keep(byte[] a, int from, int n) {
        for (int i = from; i < from + n && lineAllNul; i++) {
            lineAllNul = a[i] == 0;
        }
        int kept = (int) Math.min(lineBytes, LINE_BYTES_MAX);
        int room = Math.min(n, LINE_BYTES_MAX - kept);
        if (kept + room > line.length) {
            byte[] bigger = new byte[Math.min(LINE_BYTES_MAX, Math.max(kept + room, 2 * line.length))];
            System.arraycopy(line, 0, bigger, 0, kept);
            line = bigger;
        }
        System.arraycopy(a, from, line, kept, room);
        lineBytes += n;
    }

    /** The current line ended with the newline just before {@code next}. */
    private void endLine(long next) throws LogDamage {
        if (bad != null) {
            throw damage(bad);
        }
        String problem = lineBytes > LINE_BYTES_MAX ? "longer than any record (" + lineBytes + " bytes)"
                : LogFormat.frameProblem(line, (int) lineBytes);
        if (problem != null) {
            bad = new Bad(lineNo, lineStart, problem, next - lineStart);
        } else {
            LogFormat.Numbered r;
            try {
                r = LogFormat.record(line, (int) lineBytes, utf8);
            } catch (IOException e) {
                throw new LogDamage(file, lineNo, lineStart, e.getMessage()
                        + "; a crash cannot produce that, so it is damage: refusing to recover");
            }
            if (r.number() != lineNo) {
                throw new LogDamage(file, lineNo, lineStart, "the checksum matches but this is record " + r.number()
                        + ", not " + lineNo + ": " + (r.number() > lineNo ? "a record before it is missing"
                        : "a record is repeated or out of order") + "; a crash cannot produce that, so it is damage: "
                        + "refusing to recover");
            }
            if (records.size() == offsets.length) {
                offsets = java.util.Arrays.copyOf(offsets, 2 * offsets.length);
            }
            offsets[records.size()] = lineStart;
            records.add(r.json());
        }
        lineNo++;
        lineStart = next;
        lineBytes = 0;
        lineAllNul = true;
    }

    private Result finish(long size) throws LogDamage {
        if (lineBytes > 0) {
            if (bad != null) {
                throw damage(bad);
            }
            String what = lineAllNul ? "all NUL" : "no trailing newline";
            return new Result(records, offsets, lineStart, "line " + lineNo + " at byte " + lineStart + ": " + lineBytes
                    + " bytes, " + what + "; cut");
        }
        if (bad != null) {
            return new Result(records, offsets, bad.offset, "line " + bad.line + " at byte " + bad.offset + ": " + bad.problem
                    + "; " + bad.bytes + " bytes cut");
        }
        return new Result(records, offsets, size, null);
    }

    private LogDamage damage(Bad b) {
        return new LogDamage(file, b.line, b.offset, b.problem + ", and more of the file follows it: a crash only "
                + "tears the last line, so this is damage: refusing to recover");
    }
}
