package synod.core;

/**
 * Always-on invariant checks. A failed check means this process's own logic is broken, so it
 * throws and the process dies loudly; it is never used for bad input from a peer or a user.
 */
public final class Check {
    private Check() {}

    /** Thrown when an invariant of this process does not hold. */
    public static final class InvariantViolation extends IllegalStateException {
        public InvariantViolation(String message) {
            super(message);
        }
    }

    public static void that(boolean condition, String message) {
        if (!condition) {
            throw new InvariantViolation(message);
        }
    }

    public static void that(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new InvariantViolation(String.format(format, args));
        }
    }
}
