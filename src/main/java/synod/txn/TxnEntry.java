package synod.txn;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * A 2PC step decided in a group's Paxos log; its effect happens when the entry is executed, on
 * every replica alike. The coordinator's own prepare is the client's request itself (see
 * {@link TxnTable#begin}); these are the other steps. Every one is idempotent: executing it twice,
 * or for a transaction that has moved on, changes nothing.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "step")
@JsonSubTypes({
    @JsonSubTypes.Type(value = TxnEntry.Prepare.class, name = "prepare"),
    @JsonSubTypes.Type(value = TxnEntry.Decide.class, name = "decide"),
    @JsonSubTypes.Type(value = TxnEntry.Ack.class, name = "ack"),
})
public sealed interface TxnEntry {
    String txid();

    /**
     * Participant: lock and tentatively apply {@code writes} for {@code txid} and vote. {@code
     * watermark}: every transaction of the coordinator group numbered below it is over and
     * acknowledged everywhere, so its record can go and a late PREPARE of it is refused.
     */
    record Prepare(String txid, List<TxnOp> writes, long watermark) implements TxnEntry {
        public Prepare {
            writes = List.copyOf(writes);
        }

        /** As PrintLog shows it: the Project 3 spec marks a prepare entry P. */
        @Override
        public String toString() {
            return "2PC P " + txid + " " + writes;
        }
    }

    /**
     * The decision: at the coordinator it is the commit point (and {@code outcome} is what its client
     * hears); at a participant it releases the locks, undoing the writes on abort.
     */
    record Decide(String txid, boolean commit, Outcome outcome, long watermark) implements TxnEntry {
        /** As PrintLog shows it: C for commit, A for abort, as the Project 3 spec marks them. */
        @Override
        public String toString() {
            return "2PC " + (commit ? "C " : "A ") + txid + (outcome == null || outcome.reason() == null ? ""
                    : " (" + outcome.reason() + ")");
        }
    }

    /** Coordinator: group {@code group} has applied the decision; once all have, the record can go. */
    record Ack(String txid, int group) implements TxnEntry {
        @Override
        public String toString() {
            return "2PC ack " + txid + " by group " + group;
        }
    }
}
