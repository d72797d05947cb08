package synod.runtime;

import java.util.List;
import synod.core.Message;

/** Runtime messages every node understands, whatever protocol it runs. */
public sealed interface Control extends Message {

    /** First frame on every connection: who is dialling, and where it listens. */
    record Hello(String from, int port) implements Control {}

    /**
     * First frame of an authenticated connection ({@link Handshake}): who dials, in which role, of
     * which cluster and layout, and the dialler's nonce (base64).
     */
    record AuthHello(String from, int port, String role, String cluster, String layout, String nonce)
            implements Control {}

    /** The acceptor's answer: who it is, its role, cluster and layout, its nonce, and its proof (base64 HMAC). */
    record AuthChallenge(String from, String role, String cluster, String layout, String nonce, String proof)
            implements Control {}

    /** The dialler's proof (base64 HMAC); after it, every frame both ways carries a MAC. */
    record AuthProof(String proof) implements Control {}

    /** Why a handshake was refused, sent before the connection is closed, so both sides log it. */
    record AuthRefused(String reason) implements Control {}

    /**
     * Tracing only ({@link Trace}): written just before a message, it names that message's send
     * event and carries the sender's vector clock.
     */
    record Stamp(String event, java.util.Map<String, Long> clock) implements Control {}

    /** Master: open (and keep open) your outgoing channel to {@code peer}. */
    record Connect(String peer, String host, int port) implements Control {}

    /** Node: my outgoing channel to {@code peer} is connected and has sent its Hello. */
    record Linked(String peer) implements Control {}

    /** Master: exit now, cleanly. */
    record Shutdown() implements Control {}

    /** Master: exchange messages only with these nodes (all of them when empty). */
    record SetLive(List<String> live) implements Control {}

    /** Master: lose every message to or from a peer with probability {@code rate}, seeded. */
    record SetDropRate(double rate, long seed) implements Control {}

    /**
     * Master: send every message to a peer {@code delayMicros} late plus a uniform jitter in [0,
     * {@code jitterMicros}], seeded, each link kept FIFO ({@link synod.core.LinkDelay}); 0 and 0: none.
     */
    record SetDelay(long delayMicros, long jitterMicros, long seed) implements Control {}

    /**
     * Master: exit at the protocol point {@code point} (see the SPEC's crash points); "" disarms.
     * With a {@code claim} (a file path; null for none) every node is armed but only the one that
     * creates that file first exits: creating a file is atomic across processes, so two nodes that
     * reach the point within the same millisecond cannot both go.
     */
    record CrashAt(String point, String claim) implements Control {}

    /**
     * Master: start an election now, unless you lead or campaign already. How a CSE535 set begins with the first
     * node of each group as its leader; the election is an ordinary one (a higher ballot, a NEW-VIEW).
     */
    record Campaign() implements Control {}

    /**
     * Master, the first half of a FLUSH that keeps the node JVMs (a CSE535 Project 3 set): stop the
     * protocol, close every connection but this one and the listening socket, dial no peer again,
     * drop whatever waits for one, and answer {@link Frozen}. Once every node has, no message of the
     * old cluster exists anywhere but in a frozen node, which sends nothing: the nodes may be reset.
     */
    record Freeze() implements Control {}

    /** Node: I am frozen ({@link Freeze}); nothing of mine goes to a peer any more. */
    record Frozen() implements Control {}

    /**
     * Master, the second half: forget everything, wipe your log directory and start again in this
     * JVM (its compiled code kept) as a fresh node of {@code groups} groups of {@code replicas}
     * (a CSE535 file may change the layout between sets), dialling the master anew.
     */
    record Reset(int groups, int replicas) implements Control {}

    /** Master: tell me {@code what} ("info", "status", "log", "view"), with argument {@code arg}. */
    record Query(long seq, String what, long arg) implements Control {}

    /** The answer to a Query: lines to print as they are. */
    record QueryReply(long seq, List<String> lines) implements Control {}
}
