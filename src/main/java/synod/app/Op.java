package synod.app;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A client operation on a replicated service; replicas apply ops in slot order. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Op.Lock.class, name = "lock"),
    @JsonSubTypes.Type(value = Op.Unlock.class, name = "unlock"),
})
public sealed interface Op {

    /** Acquire {@code lock} for the requesting client, or join its queue of waiters. */
    record Lock(String lock) implements Op {}

    /** Release {@code lock}; only its holder may. */
    record Unlock(String lock) implements Op {}
}
