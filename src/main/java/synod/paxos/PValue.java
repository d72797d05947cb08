package synod.paxos;

/** A proposal an acceptor accepted: value {@code value} for slot {@code slot} at {@code ballot}. */
public record PValue(Ballot ballot, long slot, Value value) {}
