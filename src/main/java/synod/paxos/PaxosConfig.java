package synod.paxos;

import java.util.List;

/**
 * A group's members and timing, in ticks (the runtime ticks every {@code tickMillis}). Every node
 * of a group must agree on {@code nodes}: a node's ballot tie-breaker is its position there.
 * {@code frameBytesMax} is the wire's frame limit: everything a node builds is cut below it
 * ({@link WireSize}).
 */
public record PaxosConfig(List<String> nodes, int heartbeatTicks, int electionTicks, int backoffMinTicks,
                          int backoffMaxTicks, int retransmitTicks, int maxInFlight, int maxBatch,
                          int checkpointEvery, int catchUpBatch, int frameBytesMax) {
    /** The frame limit of the default cluster config. */
    public static final int FRAME_BYTES_DEFAULT = 1 << 20;

    public PaxosConfig {
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty() || heartbeatTicks < 1 || electionTicks <= heartbeatTicks || backoffMinTicks < 1
                || backoffMaxTicks < backoffMinTicks || retransmitTicks < 1 || maxInFlight < 1 || maxBatch < 1
                || catchUpBatch < 1 || frameBytesMax < 2 * WireSize.ENVELOPE) {
            throw new IllegalArgumentException("bad Paxos configuration: " + this);
        }
    }

    /** A configuration for frames of the default limit. */
    public PaxosConfig(List<String> nodes, int heartbeatTicks, int electionTicks, int backoffMinTicks,
                       int backoffMaxTicks, int retransmitTicks, int maxInFlight, int maxBatch,
                       int checkpointEvery, int catchUpBatch) {
        this(nodes, heartbeatTicks, electionTicks, backoffMinTicks, backoffMaxTicks, retransmitTicks, maxInFlight,
                maxBatch, checkpointEvery, catchUpBatch, FRAME_BYTES_DEFAULT);
    }

    /** Defaults for a 10 ms tick: heartbeat 50 ms, election after 300-600 ms of silence. */
    public static PaxosConfig of(List<String> nodes) {
        return new PaxosConfig(nodes, 5, 30, 5, 200, 10, 64, 256, 1000, 256);
    }

    /** This configuration for frames of at most {@code bytes}. */
    public PaxosConfig withFrameBytesMax(int bytes) {
        return new PaxosConfig(nodes, heartbeatTicks, electionTicks, backoffMinTicks, backoffMaxTicks, retransmitTicks,
                maxInFlight, maxBatch, checkpointEvery, catchUpBatch, bytes);
    }

    public int majority() {
        return nodes.size() / 2 + 1;
    }

    /** The node's ballot tie-breaker: its 1-based position in {@link #nodes}. */
    public int index(String node) {
        int i = nodes.indexOf(node);
        if (i < 0) {
            throw new IllegalArgumentException("not a member: " + node);
        }
        return i + 1;
    }

    public String node(int index) {
        return nodes.get(index - 1);
    }
}
