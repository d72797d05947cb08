package synod.master;

/** One parsed script line. Node ids are kept as written (CS380D ids are integers). */
public sealed interface Command {
    /** The 1-based line number the command came from, for error messages. */
    int line();

    record StartMaster(int line) implements Command {}

    record CreateNode(int line, String id, long amount) implements Command {}

    record Send(int line, String from, String to, long amount) implements Command {}

    /** {@code from} is null when the script leaves the channel to a seeded random choice. */
    record Receive(int line, String to, String from) implements Command {}

    record ReceiveAll(int line) implements Command {}

    record BeginSnapshot(int line, String id) implements Command {}

    record CollectState(int line) implements Command {}

    record PrintSnapshot(int line) implements Command {}

    record KillAll(int line) implements Command {}
}
