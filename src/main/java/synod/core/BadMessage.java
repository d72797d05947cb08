package synod.core;

/**
 * A peer sent something this node's protocol refuses (a message out of place, from a stranger, an
 * ack nobody owed). The runtime closes that peer's connection and carries on; any other exception
 * out of a core is this node's own bug and ends the process.
 */
public final class BadMessage extends IllegalArgumentException {
    public BadMessage(String message) {
        super(message);
    }
}
