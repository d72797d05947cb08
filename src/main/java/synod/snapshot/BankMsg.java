package synod.snapshot;

import java.util.List;
import java.util.Map;
import synod.core.Message;

/**
 * Messages of the CS380D bank: between nodes (money, markers, acks), from the master to a node
 * (commands), and back (replies). Every master command carries a sequence number its reply echoes.
 */
public sealed interface BankMsg extends Message {

    /** Money on the FIFO channel from the sender to the receiver; waits there until taken. */
    record Transfer(long amount) implements BankMsg {}

    /** The Chandy-Lamport marker ("SnapshotToken") of snapshot {@code snapshot}. */
    record Marker(long snapshot) implements BankMsg {}

    /** The receiver has queued the sender's Transfer or Marker: it can now be received. */
    record Enqueued() implements BankMsg {}

    /** Master: debit {@code amount} and put it on the channel to {@code to}. */
    record SendMoney(long seq, String to, long amount) implements BankMsg {}

    /** Master: take the head of the incoming channel from {@code from}. */
    record Take(long seq, String from) implements BankMsg {}

    /** Observer: the snapshot token that starts snapshot {@code snapshot} at this node. */
    record Begin(long seq, long snapshot) implements BankMsg {}

    /** Observer: report what this node recorded for snapshot {@code snapshot}. */
    record Collect(long seq, long snapshot) implements BankMsg {}

    /**
     * Reply to SendMoney, Take and Begin, sent once every message the command caused is queued at
     * its receiver. {@code line} is the graded output line (or null), {@code pushed} the channels
     * that got a message (by receiver id), {@code error} a refusal the master reports on stderr.
     */
    record Done(long seq, String line, List<String> pushed, String error) implements BankMsg {}

    /**
     * Reply to Collect. {@code state} is null when this node has not recorded yet; {@code channels}
     * maps each incoming channel (by sender) to the sum recorded on it so far; {@code open} lists
     * channels still being recorded (their marker has not arrived).
     */
    record Report(long seq, long snapshot, Long state, Map<String, Long> channels, List<String> open)
            implements BankMsg {}
}
