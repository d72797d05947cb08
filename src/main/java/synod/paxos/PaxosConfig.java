package synod.paxos;

import java.util.List;

/**
 * A group's members and timing, in ticks (the runtime ticks every {@code tickMillis}). Every node
 * of a group must agree on {@code nodes}: a node's ballot tie-breaker is its position there.
 */
public record PaxosConfig(List<String> nodes, int heartbeatTicks, int electionTicks, int backoffMinTicks,
                          int backoffMaxTicks, int retransmitTicks, int maxInFlight, int maxBatch,
                          int checkpointEvery, int catchUpBatch) {

    public PaxosConfig {
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty() || heartbeatTicks < 1 || electionTicks <= heartbeatTicks || backoffMinTicks < 1
                || backoffMaxTicks < backoffMinTicks || retransmitTicks < 1 || maxInFlight < 1 || maxBatch < 1
                || catchUpBatch < 1) {
            throw new IllegalArgumentException("bad Paxos configuration: " + this);
        }
    }

    /** Defaults for a 10 ms tick: heartbeat 50 ms, election after 300-600 ms of silence. */
    public static PaxosConfig of(List<String> nodes) {
        return new PaxosConfig(nodes, 5, 30, 5, 200, 10, 64, 256, 1000, 256);
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
