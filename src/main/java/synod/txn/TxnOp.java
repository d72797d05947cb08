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

    /** Whether this step belongs to the key-value store (else to the bank). */
    default boolean kv() {
        return !(this instanceof Debit || this instanceof Credit);
    }
}
