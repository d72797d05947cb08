package synod.txn;

/**
 * The data a group's transactions write (the bank's ledger and the key-value store), as the
 * transaction table sees it. Implemented by the group's state machine; every call is a
 * deterministic step of the replicated state, made on every replica alike.
 */
public interface TxnStore {

    /**
     * Why {@code op} cannot apply here; never an exception. {@code kind}: INSUFFICIENT (a debit
     * beyond the balance), FAILED (a guard that does not hold), ABORTED (anything else).
     */
    record Refusal(String reason, Outcome.Kind kind) {}

    /** Why {@code op} cannot apply here now, or null if it can. */
    Refusal refusal(TxnOp op);

    /** Applies {@code op} (which {@link #refusal} allowed) and returns the image that undoes it. */
    Image apply(TxnOp op);

    /** Puts {@code image} back: the abort of a tentative write. */
    void restore(Image image);

    /** The transaction that wrote {@code image}'s item committed (PrintDB lists modified accounts). */
    void committed(Image image);

    /**
     * An item's value before a tentative write: its undo image. A bank account's balance, or
     * ({@code kv}) a key's value, null if the key was absent. {@code move}: the step of a move that
     * wrote it (null for any other write), so that its commit and its undo do what that step needs.
     */
    record Image(String item, long balance, boolean kv, String value, TxnOp move) {
        public static Image account(String item, long balance) {
            return new Image(item, balance, false, null, null);
        }

        public static Image key(String item, String value) {
            return new Image(item, 0, true, value, null);
        }

        public static Image moving(TxnOp step, long balance) {
            return new Image(step.item(), balance, false, null, step);
        }
    }
}
