package synod.runtime;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A log that a crash cannot explain: a bad line with more of the file after it, or a line whose
 * checksum matches but which is not a UTF-8 JSON object. The node must refuse to start rather than
 * skip it; the file is left exactly as it was found so a person can look at it.
 */
public final class LogDamage extends IOException {
    private final transient Path file;
    private final long line;
    private final long offset;

    LogDamage(Path file, long line, long offset, String what) {
        super(file + ": line " + line + " at byte " + offset + ": " + what);
        this.file = file;
        this.line = line;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    /** The damaged line, counted from 1. */
    public long line() {
        return line;
    }

    /** Where the damaged line starts in the file. */
    public long offset() {
        return offset;
    }
}
