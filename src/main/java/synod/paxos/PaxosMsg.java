package synod.paxos;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import synod.app.Result;
import synod.core.Message;

/** Multi-Paxos messages between nodes, and between clients and nodes. */
public sealed interface PaxosMsg extends Message {

    /** Phase 1a: promise {@code ballot}; report what you accepted from {@code fromSlot} on. */
    record Prepare(Ballot ballot, long fromSlot) implements PaxosMsg {}

    /**
     * Phase 1b. {@code checkpointSlot}: this acceptor forgot slots below it (they are decided and in
     * its checkpoint), so a candidate behind it must catch up before it can lead. A promise whose
     * accepted values do not fit one frame travels as {@code parts} messages ({@code part} 0 to
     * parts - 1, each with some of them); the candidate counts it once it holds every part.
     */
    record Promise(Ballot ballot, long fromSlot, List<PValue> accepted, long checkpointSlot, int part, int parts)
            implements PaxosMsg {
        /** A promise in one message. */
        public Promise(Ballot ballot, long fromSlot, List<PValue> accepted, long checkpointSlot) {
            this(ballot, fromSlot, accepted, checkpointSlot, 0, 1);
        }
    }

    /** Refusal of {@code ballot}: this acceptor has promised the higher {@code promised}. */
    record Nack(Ballot ballot, Ballot promised) implements PaxosMsg {}

    /** Phase 2a for one or more slots (many slots in flight; one batch of requests per slot). */
    record Accept(Ballot ballot, List<PValue> entries) implements PaxosMsg {}

    /**
     * A new leader's phase 2a for every slot from {@code fromSlot} on: the quorum's accepted values
     * merged (highest ballot per slot), holes filled with no-ops. Logged for PrintView.
     */
    record NewView(Ballot ballot, long fromSlot, List<PValue> entries) implements PaxosMsg {}

    /** Phase 2b: this acceptor accepted {@code slots} at {@code ballot}. */
    record Accepted(Ballot ballot, List<Long> slots) implements PaxosMsg {}

    /**
     * Slot {@code slot} is decided: {@code value}, or null for a node that accepted the leader's
     * proposal there (its acceptor holds the value; sending it again would double the traffic).
     */
    record Decide(long slot, Value value) implements PaxosMsg {}

    /** The leader is alive; every slot below {@code commitSlot} is decided. */
    record Heartbeat(Ballot ballot, long commitSlot) implements PaxosMsg {}

    /** Send me decided slots from {@code fromSlot} on. */
    record CatchUp(long fromSlot) implements PaxosMsg {}

    /**
     * Decided slots from {@code fromSlot} on; when the sender has forgotten them, its checkpoint
     * ({@code checkpointSlot} and the state in {@code checkpoint}) comes first.
     */
    record CatchUpReply(long fromSlot, List<PValue> decided, long checkpointSlot, JsonNode checkpoint)
            implements PaxosMsg {
        public CatchUpReply {
            // JSON null arrives as a NullNode; "no checkpoint" must mean null on both sides of the wire.
            if (checkpoint != null && checkpoint.isNull()) {
                checkpoint = null;
            }
        }
    }

    /**
     * Bytes {@code offset ..} of a checkpoint at {@code slot} that does not fit one frame (its JSON,
     * {@code total} bytes of UTF-8, in base64 {@code data}): a catch-up sends the parts in order,
     * then the decided slots after it, and the receiver installs the checkpoint once it holds it whole.
     */
    record CheckpointPart(long slot, long offset, long total, String data) implements PaxosMsg {}

    /** A client's request, sent to any node (a follower forwards it to the leader). */
    record ClientRequest(Request request) implements PaxosMsg {}

    /** The result of request {@code seq}; {@code leader} is who the sender believes leads, for redirects. */
    record ClientReply(String client, long seq, Result result, String leader) implements PaxosMsg {}

    /** News for a client caused by another's request (a lock granted to a waiter). */
    record Notice(String client, Result result) implements PaxosMsg {}
}
