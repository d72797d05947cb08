package synod.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A deterministic service that replicas drive with ops in slot order. Same ops in the same order
 * give the same results and state on every replica: no clock, no randomness, no hash order.
 */
public interface StateMachine {

    /** A grant (or other news) for a client other than the one whose op caused it. */
    record Notice(String client, Result result) {}

    /** The final answer to request {@code seq} of {@code client}, whose own execution deferred it. */
    record Completion(String client, long seq, Result result) {}

    /**
     * What one op did: the answer for its client (null: deferred, it comes later as a
     * {@link Completion}, as a transaction across groups does), news for others, answers to earlier
     * deferred requests, and the two-phase-commit transactions whose record changed (their group's
     * leader may have messages to send for them).
     */
    record Applied(Result result, List<Notice> notices, List<Completion> completions, List<String> touched) {
        public Applied(Result result, List<Notice> notices) {
            this(result, notices, List.of(), List.of());
        }
    }

    Applied apply(String client, Op op);

    /** {@link #apply(String, Op)} for request {@code seq}; a machine whose answers may be deferred needs it. */
    default Applied apply(String client, long seq, Op op) {
        return apply(client, op);
    }

    /** The whole state as JSON, for checkpoints; equal states give equal JSON. */
    JsonNode snapshot();

    /** Replaces the whole state with one {@link #snapshot} produced. */
    void restore(JsonNode snapshot);
}
