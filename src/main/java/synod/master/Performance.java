package synod.master;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code Performance} print: requests decided per second and latency (mean, p50, p99), measured
 * at the client from submission to reply, over the whole run. Thread-safe: replies complete on the
 * master's event loop.
 */
final class Performance {
    private final List<Double> latencies = new ArrayList<>();
    private long firstNanos = Long.MAX_VALUE;
    private long lastNanos = Long.MIN_VALUE;

    /** Measures {@code reply}, submitted at {@code submittedNanos}. */
    <T> void track(long submittedNanos, CompletableFuture<T> reply) {
        reply.whenComplete((r, e) -> {
            if (e == null) {
                record(submittedNanos, System.nanoTime());
            }
        });
    }

    synchronized void record(long startNanos, long endNanos) {
        latencies.add((endNanos - startNanos) / 1e6);
        firstNanos = Math.min(firstNanos, startNanos);
        lastNanos = Math.max(lastNanos, endNanos);
    }

    synchronized String line() {
        List<Double> l = new ArrayList<>(latencies);
        Collections.sort(l);
        double secs = l.isEmpty() ? 1 : Math.max(1e-9, (lastNanos - firstNanos) / 1e9);
        double mean = l.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        return String.format("Performance: %d transactions decided, %.1f tx/s, latency mean %.2f ms, p50 %.2f ms,"
                + " p99 %.2f ms", l.size(), l.size() / secs, mean, pct(l, 0.5), pct(l, 0.99));
    }

    private static double pct(List<Double> sorted, double p) {
        return sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1, (int) (p * sorted.size())));
    }
}
