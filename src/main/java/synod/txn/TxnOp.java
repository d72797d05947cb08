package synod.txn;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One write a transaction makes at one group: checked, applied tentatively and locked at prepare,
 * kept at commit, undone from its image at abort.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "w")
@JsonSubTypes({
    @JsonSubTypes.Type(value = TxnOp.Debit.class, name = "debit"),
    @JsonSubTypes.Type(value = TxnOp.Credit.class, name = "credit"),
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
}
