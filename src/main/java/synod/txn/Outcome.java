package synod.txn;

/**
 * What became of a transaction, for its client. {@code BUSY}: it met an item another transaction
 * holds and changed nothing; the client tries again (no-wait locking, so no transaction ever waits
 * for another and there is no deadlock). {@code FAILED}: a key-value guard did not hold ({@code
 * reason} says what the key is); nothing changed.
 */
public record Outcome(Kind kind, String reason) {
    public enum Kind { PENDING, COMMITTED, ABORTED, INSUFFICIENT, BUSY, FAILED }

    public static final Outcome PENDING = new Outcome(Kind.PENDING, null);
    public static final Outcome COMMITTED = new Outcome(Kind.COMMITTED, null);

    public static Outcome aborted(String reason) {
        return new Outcome(Kind.ABORTED, reason);
    }

    public static Outcome busy(String reason) {
        return new Outcome(Kind.BUSY, reason);
    }

    public static Outcome refused(TxnStore.Refusal r) {
        return new Outcome(r.kind(), r.reason());
    }
}
