package synod.paxos;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A candidate's promises that came in parts ({@link Parts}): a promise counts only once every part
 * of it is in, for a leader must propose the highest-ballot value of each slot over a quorum's whole
 * accepted sets. Parts of one promise may come from different retransmissions of the acceptor's
 * answer; their union is safe to merge (an acceptor's accepted set only grows in ballot per slot, and
 * the merge keeps the highest per slot). Holds the parts of one election only: a part of another
 * ballot or from slot starts it afresh.
 */
final class PromiseParts {
    private Ballot ballot;
    private long fromSlot;
    private final TreeMap<String, TreeMap<Integer, PaxosMsg.Promise>> got = new TreeMap<>();

    /** The whole promise of {@code from} once all its parts are in (a promise in one part at once), else null. */
    PaxosMsg.Promise add(String from, PaxosMsg.Promise p) {
        if (p.parts() == 1) {
            return p;
        }
        if (!p.ballot().equals(ballot) || p.fromSlot() != fromSlot) {
            got.clear();
            ballot = p.ballot();
            fromSlot = p.fromSlot();
        }
        TreeMap<Integer, PaxosMsg.Promise> mine = got.computeIfAbsent(from, k -> new TreeMap<>());
        if (!mine.isEmpty() && mine.firstEntry().getValue().parts() != p.parts()) {
            mine.clear(); // cut otherwise: a later answer of a changed acceptor
        }
        mine.put(p.part(), p);
        if (mine.size() < p.parts()) {
            return null;
        }
        got.remove(from);
        List<PValue> accepted = new ArrayList<>();
        long checkpointSlot = 0;
        for (PaxosMsg.Promise q : mine.values()) {
            accepted.addAll(q.accepted());
            checkpointSlot = Math.max(checkpointSlot, q.checkpointSlot());
        }
        return new PaxosMsg.Promise(p.ballot(), p.fromSlot(), accepted, checkpointSlot);
    }
}
