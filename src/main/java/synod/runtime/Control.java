package synod.runtime;

import synod.core.Message;

/** Runtime messages every node understands, whatever protocol it runs. */
public sealed interface Control extends Message {

    /** First frame on every connection: who is dialling, and where it listens. */
    record Hello(String from, int port) implements Control {}

    /** Master: open (and keep open) your outgoing channel to {@code peer}. */
    record Connect(String peer, String host, int port) implements Control {}

    /** Node: my outgoing channel to {@code peer} is connected and has sent its Hello. */
    record Linked(String peer) implements Control {}

    /** Master: exit now, cleanly. */
    record Shutdown() implements Control {}
}
