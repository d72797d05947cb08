package synod.nemesis;

import java.util.ArrayList;
import java.util.List;
import synod.app.Op;
import synod.app.Result;

/**
 * What the clients of a nemesis run saw, as Jepsen records it: every operation with who invoked it,
 * when it was invoked and when it completed, and its result. An operation that timed out has no
 * completion and no result: it is indeterminate (it may have taken effect at any time after its
 * invocation, or never). Times are nanoseconds since the run began. Thread-safe.
 */
final class History {
    /** One operation. {@code completed} is {@link #NEVER} and {@code result} null if it timed out. */
    record Entry(int id, String process, Op op, long invoked, long completed, Result result) {
        boolean indeterminate() {
            return result == null;
        }

        @Override
        public String toString() {
            return String.format("#%d %8.3f..%s %s %s -> %s", id, invoked / 1e9,
                    indeterminate() ? "   (timed out)" : String.format("%8.3f s", completed / 1e9), process, op,
                    indeterminate() ? "indeterminate" : result);
        }
    }

    static final long NEVER = Long.MAX_VALUE;

    private final long start = System.nanoTime();
    private final List<Entry> entries = new ArrayList<>();

    /** Nanoseconds since the run began. */
    long now() {
        return System.nanoTime() - start;
    }

    /** Records a completed operation (or, with a null result, one that timed out). */
    synchronized Entry add(String process, Op op, long invoked, long completed, Result result) {
        Entry e = new Entry(entries.size(), process, op, invoked, result == null ? NEVER : completed, result);
        entries.add(e);
        return e;
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** Test histories: entries made by hand, numbered in order. */
    static Entry entry(int id, String process, Op op, long invoked, long completed, Result result) {
        return new Entry(id, process, op, invoked, result == null ? NEVER : completed, result);
    }
}
