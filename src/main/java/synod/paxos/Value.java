package synod.paxos;

import java.util.List;

/**
 * What one slot decides: a batch of client requests in order, or nothing (a no-op, which a new
 * leader proposes for a hole no acceptor of its quorum had accepted anything in).
 */
public record Value(List<Request> requests) {
    public static final Value NOOP = new Value(List.of());

    public Value {
        requests = List.copyOf(requests);
    }

    public boolean noop() {
        return requests.isEmpty();
    }
}
