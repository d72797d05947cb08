package synod.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What one step of a core asks the world to do, as data. The runtime and the simulator are its only
 * interpreters, and both keep the order: first {@link #records} are appended to the node's log and
 * forced to disk, then {@link #sends} leave. The one exception is {@link #sendEarly}: a message that
 * depends on no record of the step may leave while the disk works. A core never touches a socket or
 * a file itself.
 */
public final class Output {
    private final List<Envelope> sends = new ArrayList<>();
    private final List<Envelope> early = new ArrayList<>();
    private final List<Object> records = new ArrayList<>();
    private final List<String> points = new ArrayList<>();
    private boolean rewrite;

    public Output send(String to, Message message) {
        sends.add(new Envelope(to, message));
        return this;
    }

    /**
     * A message that depends on nothing this step persists, so it may leave before the step's
     * records are forced (a leader's Accept: it rests on the leader's promise, forced long before).
     * Sending it early lets the receivers' fsyncs overlap the sender's own.
     */
    public Output sendEarly(String to, Message message) {
        early.add(new Envelope(to, message));
        return this;
    }

    /** Appends a durable record; it is forced to disk before any send of this step leaves. */
    public Output persist(Object record) {
        records.add(record);
        return this;
    }

    /**
     * Asks for the whole log to be replaced, atomically, by {@code everything} (a checkpoint and
     * what must outlive it): how the log prefix is truncated. {@code everything} is the node's whole
     * durable state now, so records persisted earlier in this step are dropped as already in it;
     * records persisted later in the step are appended after it.
     */
    public Output rewrite(List<?> everything) {
        records.clear();
        records.addAll(everything);
        rewrite = true;
        return this;
    }

    /** Names a protocol point this step passed (for crash injection: "after-send-prepare", ...). */
    public Output point(String name) {
        points.add(name);
        return this;
    }

    /** The messages that leave only after the step's records are forced. */
    public List<Envelope> sends() {
        return sends;
    }

    /** The messages that may leave before the step's records are forced ({@link #sendEarly}). */
    public List<Envelope> earlySends() {
        return early;
    }

    public List<Object> records() {
        return records;
    }

    public boolean rewriting() {
        return rewrite;
    }

    public List<String> points() {
        return points;
    }

    public boolean isEmpty() {
        return sends.isEmpty() && early.isEmpty() && records.isEmpty() && points.isEmpty();
    }
}
