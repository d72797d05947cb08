package synod.master;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The {@code Performance} print: requests decided per second and latency (mean, p50, p99), measured
 * at the client from submission to reply, over the whole run. Throughput counts only the time some
 * request was outstanding (the union of their intervals), not the pauses between script commands
 * or a CSE535 file's sets. Thread-safe: replies complete on the master's event loop.
 */
final class Performance {
    private final List<Double> latencies = new ArrayList<>();
    private final List<long[]> intervals = new ArrayList<>();

    synchronized void record(long startNanos, long endNanos) {
        latencies.add((endNanos - startNanos) / 1e6);
        intervals.add(new long[] {startNanos, endNanos});
    }

    /** Nanoseconds during which at least one request was outstanding. */
    private long busyNanos() {
        List<long[]> sorted = new ArrayList<>(intervals);
        sorted.sort((a, b) -> Long.compare(a[0], b[0]));
        long busy = 0;
        long from = Long.MIN_VALUE;
        long to = Long.MIN_VALUE;
        for (long[] i : sorted) {
            if (i[0] > to) {
                busy += to - from;
                from = i[0];
                to = i[1];
            } else {
                to = Math.max(to, i[1]);
            }
        }
        return busy + (to - from);
    }

    synchronized String line() {
        List<Double> l = new ArrayList<>(latencies);
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
