package synod.core;

/** A message addressed to a node id (or to {@link Envelope#MASTER}). */
public record Envelope(String to, Message message) {
    /** The id under which the master (and its observer) is reachable. */
    public static final String MASTER = "master";
}
