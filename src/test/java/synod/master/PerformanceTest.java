package synod.master;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What Performance counts: the time requests were outstanding, less the time at the prompt. */
class PerformanceTest {
    private static final long S = 1_000_000_000L;

    @Test
    void timeAtThePromptCountsNeitherInThroughputNorInLatency() {
        Performance p = new Performance();
        p.record(0, S); // a set: one request, one second
        p.pause(2 * S); // the prompt, for 100 s; a request left pending by the set is decided meanwhile
        p.record(S + S / 2, 3 * S);
        p.resume(102 * S);
        p.record(103 * S, 103 * S + S / 2);
        // outstanding outside the prompt: [0, 1 s), [1.5 s, 2 s) and [103 s, 103.5 s): 2 s for 3 requests
        assertEquals("Performance: 3 transactions decided, 1.5 tx/s, latency mean 666.67 ms, p50 500.00 ms,"
                + " p99 1000.00 ms", p.line());
    }

    @Test
    void withoutAPromptEveryOutstandingStretchCounts() {
        Performance p = new Performance();
        p.record(0, S);
        p.record(S / 2, 2 * S);
        p.record(10 * S, 11 * S);
        assertEquals("Performance: 3 transactions decided, 1.0 tx/s, latency mean 1166.67 ms, p50 1000.00 ms,"
                + " p99 1500.00 ms", p.line());
    }
}
