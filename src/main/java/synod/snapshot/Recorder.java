package synod.snapshot;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import synod.core.Check;

/**
 * The Chandy-Lamport recorder of one node, for the latest snapshot it has seen. It records the
 * node's state on the first marker (or the observer's token), then records every other incoming
 * channel until that channel's marker arrives. Markers of an older snapshot are stale and ignored:
 * a newer snapshot supersedes it.
 *
 * <p>Invariant: a channel is open only while its marker has not arrived, and only messages that
 * arrive on an open channel are added to that channel's sum.
 */
public final class Recorder {
    private long snapshot = 0;
    private Long state = null;
    private final Map<String, Long> sums = new TreeMap<>();
    private final Set<String> open = new TreeSet<>();

    /** The observer's token: record now and record every incoming channel. */
    public void begin(long snap, long balance, Collection<String> peers) {
        Check.that(snap > snapshot, "snapshot %d begun after %d", snap, snapshot);
        record(snap, balance, peers, null);
    }

    /**
     * A marker from {@code from}. Returns true when it made this node record its state, so the
     * caller must now send markers on every outgoing channel.
     */
    public boolean onMarker(String from, long snap, long balance, Collection<String> peers) {
        if (snap < snapshot) {
            return false;
        }
        if (snap > snapshot) {
            record(snap, balance, peers, from);
            return true;
        }
        open.remove(from);
        return false;
    }

    /** Money taken from the channel {@code from}; recorded if that channel is open. */
    public void onTransfer(String from, long amount) {
        if (open.contains(from)) {
            sums.merge(from, amount, Long::sum);
        }
    }

    private void record(long snap, long balance, Collection<String> peers, String markerFrom) {
        snapshot = snap;
        state = balance;
        sums.clear();
        open.clear();
        for (String p : peers) {
            sums.put(p, 0L);
            if (!p.equals(markerFrom)) {
                open.add(p);
            }
        }
    }

    /** The latest snapshot seen, 0 before any. */
    public long snapshot() {
        return snapshot;
    }

    /** What was recorded for {@code snap}: nothing (null state) unless it is the latest seen. */
    public BankMsg.Report report(long seq, long snap) {
        if (snap != snapshot) {
            return new BankMsg.Report(seq, snap, null, Map.of(), List.of());
        }
        return new BankMsg.Report(seq, snap, state, new TreeMap<>(sums), List.copyOf(open));
    }
}
