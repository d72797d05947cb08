package synod.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import synod.snapshot.BankMsg;

/**
 * Ground truth of a simulated CS380D bank, kept beside the cores by the simulator from what the
 * cores are seen to send and what the driver makes them take, never read from their internals.
 * Every transfer is tagged with the event at which it was sent and the event at which it was
 * taken; every node's recording of a snapshot with its event and balance. From these it predicts
 * each Report exactly and checks every completed snapshot against the definition of a consistent
 * cut, independently of how {@link synod.snapshot.Recorder} computes it.
 *
 * <p>Invariant: per channel, {@code items} holds exactly the transfers and markers sent on it and
 * not yet taken, in send order (channels are FIFO); balances plus those transfers equal the total.
 */
final class BankTruth {

    /** A channel, ordered by source then destination. */
    record Channel(String from, String to) implements Comparable<Channel> {
        @Override
        public int compareTo(Channel o) {
            int c = from.compareTo(o.from);
            return c != 0 ? c : to.compareTo(o.to);
        }
    }

    /** What travels on a channel, as the truth tags it. */
    sealed interface Item permits Tagged, MarkerItem {
        BankMsg message();
    }

    /** One transfer; {@code takenAt} stays -1 until the receiver takes it. */
    static final class Tagged implements Item {
        final long id;
        final Channel channel;
        final long amount;
        final long sentAt;
        long takenAt = -1;

        Tagged(long id, Channel channel, long amount, long sentAt) {
            this.id = id;
            this.channel = channel;
            this.amount = amount;
            this.sentAt = sentAt;
        }

        @Override
        public BankMsg message() {
            return new BankMsg.Transfer(amount);
        }
    }

    record MarkerItem(long snapshot) implements Item {
        @Override
        public BankMsg message() {
            return new BankMsg.Marker(snapshot);
        }
    }

    /** A node's recording of one snapshot; {@code closedAt} maps a sender to when its marker was taken. */
    static final class Recording {
        final long snapshot;
        final long at;
        final long balance;
        final Map<String, Long> closedAt = new TreeMap<>();

        Recording(long snapshot, long at, long balance) {
            this.snapshot = snapshot;
            this.at = at;
            this.balance = balance;
        }
    }

    private final long total;
    private final Map<String, Long> balances = new TreeMap<>();
    private final Map<Channel, ArrayDeque<Item>> items = new TreeMap<>();
    private final List<Tagged> transfers = new ArrayList<>();
    /** Per node, its latest recording: the only one its Recorder still reports. */
    private final Map<String, Recording> latest = new TreeMap<>();
    /** Per snapshot, every node's recording of it (kept even after a newer one supersedes it). */
    private final Map<Long, Map<String, Recording>> recordings = new TreeMap<>();
    long staleMarkers = 0;
    long supersededWhileOpen = 0;

    BankTruth(Map<String, Long> initial) {
        balances.putAll(initial);
        total = initial.values().stream().mapToLong(Long::longValue).sum();
        for (String a : initial.keySet()) {
            for (String b : initial.keySet()) {
                if (!a.equals(b)) {
                    items.put(new Channel(a, b), new ArrayDeque<>());
                }
            }
        }
    }

    long total() {
        return total;
    }

    long balance(String node) {
        return balances.get(node);
    }

    List<String> nodes() {
        return List.copyOf(balances.keySet());
    }

    List<String> peers(String node) {
        List<String> peers = new ArrayList<>(balances.keySet());
        peers.remove(node);
        return peers;
    }

    /** The channel's contents in send order: what waits at the receiver, then what is in flight. */
    List<BankMsg> contents(Channel ch) {
        List<BankMsg> out = new ArrayList<>();
        items.get(ch).forEach(i -> out.add(i.message()));
        return out;
    }

    /** Whether {@code actual} is exactly the channel's contents in send order; allocates nothing. */
    boolean holds(Channel ch, List<BankMsg> actual) {
        ArrayDeque<Item> expected = items.get(ch);
        if (expected.size() != actual.size()) {
            return false;
        }
        int i = 0;
        for (Item item : expected) {
            BankMsg m = actual.get(i++);
            boolean same = item instanceof Tagged t
                    ? m instanceof BankMsg.Transfer tr && tr.amount() == t.amount
                    : m instanceof BankMsg.Marker mk && mk.snapshot() == ((MarkerItem) item).snapshot();
            if (!same) {
                return false;
            }
        }
        return true;
    }

    List<Channel> channels() {
        return List.copyOf(items.keySet());
    }

    int size(Channel ch) {
        return items.get(ch).size();
    }

    /** A node put a Transfer or a Marker on a channel at event {@code at}. */
    void sent(long at, Channel ch, BankMsg m) {
        if (m instanceof BankMsg.Transfer t) {
            long left = balances.get(ch.from()) - t.amount();
            Sim.expect(left >= 0, "node %s sent %d with only %d", ch.from(), t.amount(), balances.get(ch.from()));
            balances.put(ch.from(), left);
            Tagged tagged = new Tagged(transfers.size(), ch, t.amount(), at);
            transfers.add(tagged);
            items.get(ch).addLast(tagged);
        } else if (m instanceof BankMsg.Marker mk) {
            items.get(ch).addLast(new MarkerItem(mk.snapshot()));
        } else {
            Sim.expect(false, "node %s sent %s to peer %s", ch.from(), m, ch.to());
        }
    }

    /** The receiver takes the head of {@code ch} at event {@code at}. */
    Item take(long at, Channel ch) {
        Item head = items.get(ch).pollFirst();
        Sim.expect(head != null, "take from empty %s", ch);
        if (head instanceof Tagged t) {
            t.takenAt = at;
            balances.merge(ch.to(), t.amount, Long::sum);
        }
        return head;
    }

    /** The latest snapshot {@code node} has recorded, 0 before any. */
    long snapshotOf(String node) {
        Recording r = latest.get(node);
        return r == null ? 0 : r.snapshot;
    }

    /** The observer's token at {@code node}: it records if the snapshot is newer than its latest. */
    boolean begin(long at, String node, long snap) {
        if (snap <= snapshotOf(node)) {
            return false;
        }
        record(at, node, snap);
        return true;
    }

    /**
     * Chandy-Lamport's marker rule: the first marker of a newer snapshot records the node (and that
     * marker's channel is empty); a marker of the node's current snapshot closes its channel; an
     * older marker is stale. Returns true when the node records now.
     */
    boolean markerTaken(long at, Channel ch, long snap) {
        String node = ch.to();
        long current = snapshotOf(node);
        if (snap < current) {
            staleMarkers++;
            return false;
        }
        if (snap > current) {
            Recording old = latest.get(node);
            if (old != null && old.closedAt.size() < peers(node).size()) {
                supersededWhileOpen++;
            }
            record(at, node, snap).closedAt.put(ch.from(), at);
            return true;
        }
        Recording r = latest.get(node);
        Sim.expect(!r.closedAt.containsKey(ch.from()), "second marker %d on %s", snap, ch);
        r.closedAt.put(ch.from(), at);
        return false;
    }

    private Recording record(long at, String node, long snap) {
        Recording r = new Recording(snap, at, balances.get(node));
        latest.put(node, r);
        recordings.computeIfAbsent(snap, s -> new TreeMap<>()).put(node, r);
        return r;
    }

    /**
     * The Report {@code node} must give for {@code snap}. A closed channel's sum is defined from the
     * sender's side (sent before the sender recorded, taken after the receiver recorded); an open
     * one's is what the receiver has taken since it recorded.
     */
    BankMsg.Report expectedReport(long seq, String node, long snap) {
        Recording r = latest.get(node);
        if (r == null || r.snapshot != snap) {
            return new BankMsg.Report(seq, snap, null, Map.of(), List.of());
        }
        Map<String, Long> sums = new TreeMap<>();
        List<String> open = new ArrayList<>();
        for (String p : peers(node)) {
            boolean closed = r.closedAt.containsKey(p);
            Recording sender = recordings.get(snap).get(p);
            if (closed) {
                Sim.expect(sender != null, "%s closed the channel from %s, which never recorded %d", node, p, snap);
                sums.put(p, inChannel(new Channel(p, node), sender.at, r.at));
            } else {
                open.add(p);
                sums.put(p, takenSince(new Channel(p, node), r.at));
            }
        }
        return new BankMsg.Report(seq, snap, r.balance, sums, open);
    }

    /** Sum of transfers the receiver has taken from {@code ch} after event {@code after}. */
    private long takenSince(Channel ch, long after) {
        long sum = 0;
        for (Tagged t : transfers) {
            if (t.channel.equals(ch) && t.takenAt > after) {
                sum += t.amount;
            }
        }
        return sum;
    }

    /**
     * Sum of transfers on {@code ch} sent before {@code sentBefore} and taken after {@code takenAfter};
     * one not taken yet counts too, so a transfer the receiver skipped shows up as a mismatch.
     */
    private long inChannel(Channel ch, long sentBefore, long takenAfter) {
        long sum = 0;
        for (Tagged t : transfers) {
            if (t.channel.equals(ch) && t.sentAt < sentBefore && (t.takenAt < 0 || t.takenAt > takenAfter)) {
                sum += t.amount;
            }
        }
        return sum;
    }

    /** True when every node has {@code snap} as its latest recording and every channel's marker was taken. */
    boolean complete(long snap) {
        for (String n : nodes()) {
            Recording r = latest.get(n);
            if (r == null || r.snapshot != snap || r.closedAt.size() != peers(n).size()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks a completed snapshot's collected reports: (a) recorded money equals the total; (b) the
     * cut is consistent; (c) every channel state is what was in flight across the cut; (d) every
     * node state is the balance at its record moment.
     */
    void checkCompleted(long snap, Map<String, BankMsg.Report> reports) {
        Map<String, Recording> rec = recordings.get(snap);
        long recorded = 0;
        for (String b : nodes()) {
            BankMsg.Report report = reports.get(b);
            Sim.expect(report.state() == rec.get(b).balance, "(d) snapshot %d node %s state %s, balance at record %d",
                    snap, b, report.state(), rec.get(b).balance);
            recorded += report.state();
            for (String a : peers(b)) {
                long expected = inChannel(new Channel(a, b), rec.get(a).at, rec.get(b).at);
                long got = report.channels().get(a);
                Sim.expect(got == expected, "(c) snapshot %d channel (%s -> %s) = %d, in flight across the cut %d",
                        snap, a, b, got, expected);
                recorded += got;
            }
        }
        Sim.expect(recorded == total, "(a) snapshot %d records %d of %d", snap, recorded, total);
        for (Tagged t : transfers) {
            long senderAt = rec.get(t.channel.from()).at;
            long receiverAt = rec.get(t.channel.to()).at;
            boolean receivedBefore = t.takenAt >= 0 && t.takenAt < receiverAt;
            Sim.expect(!(receivedBefore && t.sentAt > senderAt),
                    "(b) snapshot %d: transfer #%d on %s sent at %d after %s recorded at %d, taken at %d before %s recorded at %d",
                    snap, t.id, t.channel, t.sentAt, t.channel.from(), senderAt, t.takenAt, t.channel.to(), receiverAt);
        }
    }
}
