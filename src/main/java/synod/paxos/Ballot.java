package synod.paxos;

/**
 * A ballot number {@code (round, node)}: ordered by round, ties broken by the proposing node's
 * index, so two proposers never share one. {@link #ZERO} is below every real ballot.
 */
public record Ballot(long round, int node) implements Comparable<Ballot> {
    public static final Ballot ZERO = new Ballot(0, 0);

    @Override
    public int compareTo(Ballot o) {
        return round != o.round ? Long.compare(round, o.round) : Integer.compare(node, o.node);
    }

    public boolean above(Ballot o) {
        return compareTo(o) > 0;
    }

    public boolean atLeast(Ballot o) {
        return compareTo(o) >= 0;
    }

    /** The smallest ballot of {@code node} above this one. */
    public Ballot nextFor(int node) {
        return new Ballot(round + 1, node);
    }

    @Override
    public String toString() {
        return "(" + round + "," + node + ")";
    }
}
