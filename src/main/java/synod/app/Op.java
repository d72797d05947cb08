package synod.app;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A client operation on a replicated service; replicas apply ops in slot order. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Op.Lock.class, name = "lock"),
    @JsonSubTypes.Type(value = Op.Unlock.class, name = "unlock"),
    @JsonSubTypes.Type(value = Op.Open.class, name = "open"),
    @JsonSubTypes.Type(value = Op.Transfer.class, name = "transfer"),
    @JsonSubTypes.Type(value = Op.Balance.class, name = "balance"),
    @JsonSubTypes.Type(value = Op.Put.class, name = "put"),
    @JsonSubTypes.Type(value = Op.Get.class, name = "get"),
    @JsonSubTypes.Type(value = Op.Delete.class, name = "delete"),
    @JsonSubTypes.Type(value = Op.Place.class, name = "place"),
    @JsonSubTypes.Type(value = Op.Txn.class, name = "2pc"),
    @JsonSubTypes.Type(value = Op.KvTxn.class, name = "txn"),
    @JsonSubTypes.Type(value = Op.Move.class, name = "move"),
})
public sealed interface Op {

    /** Acquire {@code lock} for the requesting client, or join its queue of waiters. */
    record Lock(String lock) implements Op {}

    /** Release {@code lock}; only its holder may. */
    record Unlock(String lock) implements Op {}

    /** Bank: open {@code accounts}, each with {@code balance} (an account that exists is reset). */
    record Open(java.util.List<String> accounts, long balance) implements Op {
        public Open {
            accounts = java.util.List.copyOf(accounts);
        }
    }

    /** Bank: move {@code amount} from {@code from} to {@code to}, if {@code from} has it. */
    record Transfer(String from, String to, long amount) implements Op {}

    /** Bank: read {@code account}'s balance, in log order (linearizable). */
    record Balance(String account) implements Op {}

    /** Key-value store: set {@code key} to {@code value}. */
    record Put(String key, String value) implements Op {}

    /** Key-value store: read {@code key}, in log order (linearizable). */
    record Get(String key) implements Op {}

    /** Key-value store: remove {@code key}. */
    record Delete(String key) implements Op {}

    /**
     * Key-value store: a transaction of {@code steps} (puts, deletes and guards, one step a key),
     * committed atomically across the groups that hold its keys, or not at all. Its client sends it
     * to the group of its first key ({@link KvShard}), which coordinates it; a transaction of that
     * group's keys alone is one log entry.
     */
    record KvTxn(java.util.List<synod.txn.TxnOp> steps) implements Op {
        public KvTxn {
            steps = steps == null ? null : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(steps));
        }
    }

    /**
     * Sharding: which group holds which items, as ranges (ends included, compared the way
     * {@link synod.core.NodeIds#ORDER} reads ids: "2" before "10"). Every group is told the whole
     * placement, so a group's leader knows where the other items of a transaction live.
     */
    record Place(java.util.List<Range> ranges) implements Op {
        public Place {
            ranges = java.util.List.copyOf(ranges);
        }
    }

    /**
     * A two-phase-commit step the group's leader proposes itself (never a client's request): it is
     * idempotent, so it stays out of the exactly-once table.
     */
    record Txn(synod.txn.TxnEntry entry) implements Op {
        @Override
        public String toString() {
            return entry.toString();
        }
    }

    /**
     * Resharding: move bank account {@code account} from the group that holds it (where this is
     * sent) to group {@code to}, with its balance, by two-phase commit with every group ({@link
     * synod.txn.TxnOp.GiveUp}, {@link synod.txn.TxnOp.TakeOver}, {@link synod.txn.TxnOp.Relocate}).
     */
    record Move(String account, int to) implements Op {}

    /** Items {@code first..last} (ends included) live in group {@code group} (1-based). */
    record Range(String first, String last, int group) {}
}
