package synod.paxos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import synod.core.Output;

/**
 * The Paxos acceptor: it promises ballots and accepts proposals, and it is the only part of a node
 * whose memory must survive a crash. Every change is handed to {@link Output#persist} in the same
 * step as the reply that depends on it, and the runtime forces it to disk before the reply leaves.
 *
 * <p>Invariants: {@code promised} never decreases; an accepted pvalue's ballot is at most
 * {@code promised}; per slot, the accepted ballot only grows.
 */
public final class Acceptor {
    private Ballot promised = Ballot.ZERO;
    private final TreeMap<Long, PValue> accepted = new TreeMap<>();
    private long forgottenBelow = 0;

    public Ballot promised() {
        return promised;
    }

    /** The pvalue accepted for {@code slot}, or null. */
    public PValue accepted(long slot) {
        return accepted.get(slot);
    }

    public java.util.NavigableMap<Long, PValue> acceptedView() {
        return java.util.Collections.unmodifiableNavigableMap(accepted);
    }

    /** Slots below this were dropped after a checkpoint: they are decided. */
    public long forgottenBelow() {
        return forgottenBelow;
    }

    /** Phase 1: a Promise (after persisting it) or a Nack. */
    public PaxosMsg onPrepare(PaxosMsg.Prepare p, Output out) {
        if (p.ballot().compareTo(promised) < 0) {
            return new PaxosMsg.Nack(p.ballot(), promised);
        }
        if (p.ballot().above(promised)) {
            promised = p.ballot();
            out.persist(new Durable.Promised(promised));
        }
        List<PValue> mine = new ArrayList<>(accepted.tailMap(p.fromSlot(), true).values());
        return new PaxosMsg.Promise(promised, p.fromSlot(), mine, forgottenBelow);
    }

    /** Phase 2: Accepted for every entry (after persisting them) or a Nack. */
    public PaxosMsg onAccept(Ballot ballot, List<PValue> entries, Output out) {
        if (ballot.compareTo(promised) < 0) {
            return new PaxosMsg.Nack(ballot, promised);
        }
        if (ballot.above(promised)) {
            promised = ballot;
            out.persist(new Durable.Promised(promised));
        }
        List<Long> slots = new ArrayList<>();
        for (PValue pv : entries) {
            if (pv.slot() < forgottenBelow) {
                continue; // decided long ago and checkpointed; nothing to accept
            }
            PValue had = accepted.get(pv.slot());
            PValue now = new PValue(ballot, pv.slot(), pv.value());
            if (!now.equals(had)) {
                accepted.put(pv.slot(), now);
                out.persist(new Durable.Accepted(now));
            }
            slots.add(pv.slot());
        }
        return new PaxosMsg.Accepted(ballot, slots);
    }

    /** Drops what a checkpoint at {@code slot} makes unnecessary; returns what must stay durable. */
    public List<Durable> forgetBelow(long slot) {
        if (slot > forgottenBelow) {
            accepted.headMap(slot, false).clear();
            forgottenBelow = slot;
        }
        List<Durable> keep = new ArrayList<>();
        keep.add(new Durable.Promised(promised));
        accepted.values().forEach(pv -> keep.add(new Durable.Accepted(pv)));
        return keep;
    }

    /** Replays one durable record at restart. */
    public void recover(Durable d) {
        if (d instanceof Durable.Promised p) {
            if (p.ballot().above(promised)) {
                promised = p.ballot();
            }
        } else if (d instanceof Durable.Accepted a) {
            PValue had = accepted.get(a.pvalue().slot());
            if (had == null || a.pvalue().ballot().atLeast(had.ballot())) {
                accepted.put(a.pvalue().slot(), a.pvalue());
            }
        } else if (d instanceof Durable.Checkpoint c) {
            accepted.headMap(c.slot(), false).clear();
            forgottenBelow = Math.max(forgottenBelow, c.slot());
        }
    }
}
