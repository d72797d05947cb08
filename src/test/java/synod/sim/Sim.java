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

    static void expect(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new SimFailure(String.format(format, args));
        }
    }
}
