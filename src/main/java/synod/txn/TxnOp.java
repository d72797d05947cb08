package synod.txn;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One step a transaction takes at one group: checked, applied tentatively and locked at prepare,
 * kept at commit, undone from its image at abort. The bank's transfers debit and credit; the
 * key-value store's transactions put, delete and guard ({@code expect}): a guard writes nothing
 * but locks its key like a write, so the value it checked cannot change before the decision.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "w")
@JsonSubTypes({
    @JsonSubTypes.Type(value = TxnOp.Debit.class, name = "debit"),
    @JsonSubTypes.Type(value = TxnOp.Credit.class, name = "credit"),
    @JsonSubTypes.Type(value = TxnOp.Put.class, name = "put"),
    @JsonSubTypes.Type(value = TxnOp.Delete.class, name = "del"),
    @JsonSubTypes.Type(value = TxnOp.Expect.class, name = "expect"),
    @JsonSubTypes.Type(value = TxnOp.ExpectAbsent.class, name = "absent"),
    @JsonSubTypes.Type(value = TxnOp.GiveUp.class, name = "give"),
    @JsonSubTypes.Type(value = TxnOp.TakeOver.class, name = "take"),
    @JsonSubTypes.Type(value = TxnOp.Relocate.class, name = "relocate"),
})
public sealed interface TxnOp {
    /** The item this write locks. */
    String item();

    /** Take {@code amount} from {@code item}; refused if it has less. */
    record Debit(String item, long amount) implements TxnOp {
        @Override
        public String toString() {
            return item + " -" + amount;
        }
    }

    /** Add {@code amount} to {@code item}. */
    record Credit(String item, long amount) implements TxnOp {
        @Override
        public String toString() {
            return item + " +" + amount;
        }
    }

    /** Key-value store: set key {@code item} to {@code value}. */
    record Put(String item, String value) implements TxnOp {
        @Override
        public String toString() {
            return "put " + item;
        }
    }

    /** Key-value store: remove key {@code item} (nothing to remove is fine). */
    record Delete(String item) implements TxnOp {
        @Override
        public String toString() {
            return "del " + item;
        }
    }

    /** Key-value store: the transaction fails, changing nothing, unless key {@code item} holds {@code value}. */
    record Expect(String item, String value) implements TxnOp {
        @Override
        public String toString() {
            return "expect " + item;
        }
    }

    /** Key-value store: the transaction fails, changing nothing, unless there is no key {@code item}. */
    record ExpectAbsent(String item) implements TxnOp {
        @Override
        public String toString() {
            return "expect " + item + " absent";
        }
    }

    /**
     * Moving a bank account: its group gives {@code item} up to group {@code to}. Prepared, it only
     * locks the account (nothing can read or write it until the decision); committed, the account
     * leaves this group and the placement sends its requests to {@code to}.
     */
    record GiveUp(String item, int to) implements TxnOp {
        @Override
        public String toString() {
            return "give " + item + " to " + to;
        }
    }

    /**
     * Moving a bank account: this group ({@code to}) takes {@code item} over with {@code balance},
     * the balance its old group held when it locked it. Prepared, the account exists here but is
     * locked; aborted, it goes again; committed, it is this group's.
     */
    record TakeOver(String item, long balance, int to) implements TxnOp {
        @Override
        public String toString() {
            return "take " + item + " =" + balance;
        }
    }

    /**
     * Moving a bank account, at a group that neither gives nor takes it: from the decision on, its
     * placement says {@code item} is in group {@code to}. Every group takes part in a move, so
     * every placement changes at the one decision, and the item's lock in every group keeps two
     * moves of one item from crossing.
     */
    record Relocate(String item, int to) implements TxnOp {
        @Override
        public String toString() {
            return "relocate " + item + " to " + to;
        }
    }

    /** Whether this step belongs to the key-value store (else to the bank). */
    default boolean kv() {
        return this instanceof Put || this instanceof Delete || this instanceof Expect || this instanceof ExpectAbsent;
    }

    /** Whether this step is part of moving an account between groups. */
    default boolean move() {
        return this instanceof GiveUp || this instanceof TakeOver || this instanceof Relocate;
    }

    /** The group a move's step sends its item to; 0 for any other step. */
    default int movedTo() {
        return this instanceof GiveUp g ? g.to() : this instanceof TakeOver t ? t.to()
                : this instanceof Relocate r ? r.to() : 0;
    }
}
