package synod.txn;

import java.util.List;
import synod.core.Message;

/**
 * Two-phase commit between the leaders of groups (the Spanner shape: each participant is a Paxos
 * group). Every message is idempotent and resent until answered, so loss, duplication and a new
 * leader on either side are all safe. {@code group} is always the sender's group.
 */
public sealed interface TxnMsg extends Message {
    /** The transaction it is about. */
    String txid();

    /** The sender's group. */
    int group();

    /**
     * Coordinator to participant: prepare {@code writes} and vote. (Not "Prepare": frames name their
     * record by its simple name, and Paxos has a Prepare.)
     */
    record PrepareTxn(String txid, int group, List<TxnOp> writes, long watermark) implements TxnMsg {
        public PrepareTxn {
            writes = List.copyOf(writes);
        }

        @Override
        public String toString() {
            return "PREPARE " + txid + " " + writes + " from group " + group;
        }
    }

    /** Participant to coordinator: PREPARED ({@code yes}) or ABORT, with why. */
    record Vote(String txid, int group, boolean yes, Outcome refusal) implements TxnMsg {
        @Override
        public String toString() {
            return (yes ? "PREPARED " + txid : "ABORT " + txid + " (" + (refusal == null ? "?" : refusal.reason()) + ")")
                    + " from group " + group;
        }
    }

    /** Coordinator to participant: COMMIT or ABORT, resent until acknowledged. */
    record Decision(String txid, int group, boolean commit, long watermark) implements TxnMsg {
        @Override
        public String toString() {
            return (commit ? "COMMIT " : "ABORT ") + txid + " from group " + group;
        }
    }

    /** Participant to coordinator: the decision is applied in my group. */
    record Ack(String txid, int group) implements TxnMsg {
        @Override
        public String toString() {
            return "ACK " + txid + " from group " + group;
        }
    }

    /** A prepared participant that heard nothing for long: what did you decide? */
    record Inquire(String txid, int group) implements TxnMsg {
        @Override
        public String toString() {
            return "INQUIRE " + txid + " from group " + group;
        }
    }
}
