package synod.sim;

/**
 * Assertions of the simulators. A failed one is a {@link SimFailure}, which the test reports with
 * the seed and event count that replay it; it is never thrown for a refusal the protocol allows.
 */
final class Sim {
    private Sim() {}

    /** A simulated run broke a property; the message says which and how. */
    static final class SimFailure extends AssertionError {
        SimFailure(String message) {
            super(message);
        }
    }

    /** Seeds 1, 2, 3... would start java.util.Random on correlated first draws: spread them (SplitMix64). */
    static long mix(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static void expect(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new SimFailure(String.format(format, args));
        }
    }
}
