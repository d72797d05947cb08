package synod.paxos;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a node writes to its append-only log ({@code logs/<node>/paxos.log}) before it sends any
 * message that depends on it. Replayed in order at restart, they rebuild the acceptor and the last
 * checkpoint; everything else a node knows it can learn again from its peers.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "rec")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Durable.Promised.class, name = "promised"),
    @JsonSubTypes.Type(value = Durable.Accepted.class, name = "accepted"),
    @JsonSubTypes.Type(value = Durable.Checkpoint.class, name = "checkpoint"),
})
public sealed interface Durable {

    /** The acceptor promised {@code ballot}: it never accepts or promises below it again. */
    record Promised(Ballot ballot) implements Durable {}

    /** The acceptor accepted {@code pvalue}. */
    record Accepted(PValue pvalue) implements Durable {}

    /**
     * Every slot below {@code slot} is decided and applied: {@code state} is the service and
     * {@code clients} the exactly-once table after them. Log records of earlier slots can go.
     */
    record Checkpoint(long slot, JsonNode state, JsonNode clients) implements Durable {}
}
