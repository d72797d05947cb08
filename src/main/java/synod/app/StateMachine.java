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

    /** What one op did: the answer for its client, and news for others. */
    record Applied(Result result, List<Notice> notices) {}

    Applied apply(String client, Op op);

    /** The whole state as JSON, for checkpoints; equal states give equal JSON. */
    JsonNode snapshot();

    /** Replaces the whole state with one {@link #snapshot} produced. */
    void restore(JsonNode snapshot);
}
