package synod.app;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** What applying an {@link Op} answered: a value, never an exception (refusals included). */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "result")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Result.Acquired.class, name = "acquired"),
    @JsonSubTypes.Type(value = Result.Waiting.class, name = "waiting"),
    @JsonSubTypes.Type(value = Result.Released.class, name = "released"),
    @JsonSubTypes.Type(value = Result.NotHolder.class, name = "not-holder"),
    @JsonSubTypes.Type(value = Result.Opened.class, name = "opened"),
    @JsonSubTypes.Type(value = Result.Committed.class, name = "committed"),
    @JsonSubTypes.Type(value = Result.Insufficient.class, name = "insufficient"),
    @JsonSubTypes.Type(value = Result.Aborted.class, name = "aborted"),
    @JsonSubTypes.Type(value = Result.Amount.class, name = "amount"),
    @JsonSubTypes.Type(value = Result.Ok.class, name = "ok"),
    @JsonSubTypes.Type(value = Result.Value.class, name = "value"),
    @JsonSubTypes.Type(value = Result.NotFound.class, name = "not-found"),
    @JsonSubTypes.Type(value = Result.Busy.class, name = "busy"),
    @JsonSubTypes.Type(value = Result.Failed.class, name = "failed"),
    @JsonSubTypes.Type(value = Result.Elsewhere.class, name = "elsewhere"),
})
public sealed interface Result {

    /** The client holds {@code lock}; {@code token} is its fencing token for this grant. */
    record Acquired(String lock, long token) implements Result {}

    /** The client is queued for {@code lock}; it is granted later, in order. */
    record Waiting(String lock) implements Result {}

    /**
     * {@code lock} is released; if a waiter was next, {@code grantedTo} now holds it with
     * {@code token} (also sent to that client as a notice). Saying so here lets a script print the
     * grant right after the release, in a fixed order.
     */
    record Released(String lock, String grantedTo, long token) implements Result {
        /** A release with nobody waiting. */
        public Released(String lock) {
            this(lock, null, 0);
        }
    }

    /** An unlock by a client that does not hold the lock. */
    record NotHolder(String lock) implements Result {}

    /** Bank: {@code count} accounts opened. */
    record Opened(int count) implements Result {}

    /** Bank: the transfer happened. */
    record Committed() implements Result {}

    /** Bank: the sender had less than the amount; nothing moved (a result, not an error). */
    record Insufficient() implements Result {}

    /** Bank: the operation could not apply at all (an unknown account, say); nothing changed. */
    record Aborted(String reason) implements Result {}

    /** Bank: the balance of {@code account}. */
    record Amount(String account, long balance) implements Result {}

    /** Key-value store: the put or delete happened. */
    record Ok() implements Result {}

    /** Key-value store: {@code key} holds {@code value}. */
    record Value(String key, String value) implements Result {}

    /** Key-value store: there is no {@code key}. */
    record NotFound(String key) implements Result {}

    /**
     * An item the request needs is locked by a two-phase commit in progress: nothing changed, and
     * the request is not recorded as executed, so the client sends the same request again after a
     * backoff. Never a final answer: a script prints the result of the retry that got through.
     */
    record Busy(String reason) implements Result {}

    /**
     * Key-value transaction: a guard did not hold ({@code reason}: "K is V2", "K is absent");
     * nothing changed. A final answer, like a bank's insufficient balance.
     */
    record Failed(String reason) implements Result {}

    /**
     * The request names {@code item}, which group {@code group} holds, not this one: nothing was
     * done, and the client may send it there (as {@code bin/client} does: it knows the hash of a
     * key, but not the bank's placement).
     */
    record Elsewhere(String item, int group) implements Result {}
}
