package synod.master;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The {@code Performance} print: requests decided per second and latency (mean, p50, p99), measured
 * at the client from submission to reply, over the whole run. Throughput counts only the time some
 * request was outstanding (the union of their intervals), not the pauses between script commands
 * or a CSE535 file's sets; and neither counts the time a person sat at the prompt between sets
 * ({@link #pause}), though a request left undecided by one set may be outstanding then.
 * Thread-safe: replies complete on the master's event loop.
 */
final class Performance {
    private final List<long[]> intervals = new ArrayList<>();
    /** Stretches spent at the prompt, in order; the last one open (end MAX_VALUE) while paused. */
    private final List<long[]> pauses = new ArrayList<>();

    synchronized void record(long startNanos, long endNanos) {
        intervals.add(new long[] {startNanos, endNanos});
    }

    /** The prompt is up since {@code nanos} (System.nanoTime): time from then on is nobody's work. */
    synchronized void pause(long nanos) {
        pauses.add(new long[] {nanos, Long.MAX_VALUE});
    }

    /** The prompt is gone since {@code nanos}: time counts again. */
    synchronized void resume(long nanos) {
        if (!pauses.isEmpty() && pauses.get(pauses.size() - 1)[1] == Long.MAX_VALUE) {
            pauses.get(pauses.size() - 1)[1] = nanos;
        }
    }

    /** Nanoseconds of {@code [from, to)} outside every pause. */
    private long unpaused(long from, long to) {
        long t = to - from;
        for (long[] p : pauses) {
            t -= Math.max(0, Math.min(to, p[1]) - Math.max(from, p[0]));
        }
        return t;
    }

    /** Nanoseconds, outside pauses, during which at least one request was outstanding. */
    private long busyNanos() {
        List<long[]> sorted = new ArrayList<>(intervals);
        sorted.sort((a, b) -> Long.compare(a[0], b[0]));
        long busy = 0;
        long from = Long.MIN_VALUE;
        long to = Long.MIN_VALUE;
        for (long[] i : sorted) {
            if (i[0] > to) {
                busy += from == Long.MIN_VALUE ? 0 : unpaused(from, to);
                from = i[0];
                to = i[1];
            } else {
                to = Math.max(to, i[1]);
            }
        }
        return busy + (from == Long.MIN_VALUE ? 0 : unpaused(from, to));
    }

    synchronized String line() {
        List<Double> l = new ArrayList<>();
        for (long[] i : intervals) {
            l.add(unpaused(i[0], i[1]) / 1e6);
        }
        Collections.sort(l);
        double secs = l.isEmpty() ? 1 : Math.max(1e-9, busyNanos() / 1e9);
        double mean = l.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        return String.format("Performance: %d transactions decided, %.1f tx/s, latency mean %.2f ms, p50 %.2f ms,"
                + " p99 %.2f ms", l.size(), l.size() / secs, mean, pct(l, 0.5), pct(l, 0.99));
    }

    private static double pct(List<Double> sorted, double p) {
        return sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1, (int) (p * sorted.size())));
    }
}
