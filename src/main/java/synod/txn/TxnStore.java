package synod.txn;

/**
 * The data a group's transactions write (the bank's ledger), as the transaction table sees it.
 * Implemented by the group's state machine; every call is a deterministic step of the replicated
 * state, made on every replica alike.
 */
public interface TxnStore {

    /** Why {@code op} cannot apply here; never an exception. */
    record Refusal(String reason, boolean insufficient) {}

    /** Why {@code op} cannot apply here now, or null if it can. */
    Refusal refusal(TxnOp op);

    /** Applies {@code op} (which {@link #refusal} allowed) and returns the image that undoes it. */
    Image apply(TxnOp op);

    /** Puts {@code image} back: the abort of a tentative write. */
    void restore(Image image);

    /** A transaction that wrote {@code item} committed (PrintDB lists modified items). */
    void committed(String item);

    /** An item's value before a tentative write: its undo image. */
    record Image(String item, long balance) {}
}
