package synod.check;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import synod.master.Command;
import synod.core.NodeIds;

/**
 * The oracle's own model of the CS380D bank, written from the spec and independent of the
 * implementation under test. Everything an explicit command does is deterministic here; the one
 * hidden choice (the order inside {@code ReceiveAll}) is summarised by {@link Drain} into a
 * {@link SnapshotGroup} that stands for every snapshot recording that order could have produced.
 *
 * <p>Invariant: balances, channel contents, each node's latest snapshot number and open-channel
 * set are exact (the same under every hidden choice); only the recorded state and channel sums of
 * the nodes in {@link #group} vary, and for those {@link Rec#sums} holds the amounts added since
 * the group was formed (identical under every choice).
 */
final class BankModel {
    /** What one node has recorded for the latest snapshot it has seen. */
    static final class Rec {
        long snap;
        /** Recorded balance; null when not recorded, or when it is one of the group's unknowns. */
        Long state;
        /** Incoming channel (by sender) to recorded sum, or to the amount added since the group formed. */
        final TreeMap<String, Long> sums = new TreeMap<>(NodeIds.ORDER);
        /** Incoming channels still being recorded: their marker has not arrived yet. */
        final TreeSet<String> open = new TreeSet<>(NodeIds.ORDER);
        /** True when the state and base sums are those of {@link BankModel#group}. */
        boolean grouped;

        Rec copy() {
            Rec r = new Rec();
            r.snap = snap;
            r.state = state;
            r.sums.putAll(sums);
            r.open.addAll(open);
            r.grouped = grouped;
            return r;
        }
    }

    final TreeSet<String> nodes = new TreeSet<>(NodeIds.ORDER);
    final Map<String, Long> balance = new TreeMap<>(NodeIds.ORDER);
    final TreeMap<Chan, ArrayDeque<Msg>> queues = new TreeMap<>();
    final Map<String, Rec> recs = new TreeMap<>(NodeIds.ORDER);
    /** Number of the latest valid BeginSnapshot, 0 before any. */
    long counter;
    /** The unknowns of the latest ReceiveAll for snapshot {@link #counter}, or null. */
    SnapshotGroup group;
    CollectedSnapshot collected;
    boolean killed;

    /** A deep copy; the collected snapshot keeps pointing at the copy's group when it pointed at ours. */
    BankModel copy() {
        BankModel m = new BankModel();
        m.nodes.addAll(nodes);
        m.balance.putAll(balance);
        queues.forEach((ch, q) -> m.queues.put(ch, new ArrayDeque<>(q)));
        recs.forEach((id, r) -> m.recs.put(id, r.copy()));
        m.counter = counter;
        m.group = group == null ? null : group.copy();
        if (collected != null) {
            SnapshotGroup g = collected.group();
            m.collected = collected.withGroup(g == null ? null : g == group ? m.group : g.copy());
        }
        m.killed = killed;
        return m;
    }

    List<String> peers(String id) {
        List<String> p = new ArrayList<>(nodes);
        p.remove(id);
        return p;
    }

    ArrayDeque<Msg> queue(String from, String to) {
        return queues.get(new Chan(from, to));
    }

    /**
     * Runs a command whose printed lines follow from the state alone (everything but a Receive
     * without sender and PrintSnapshot) and returns those lines.
     */
    List<String> apply(Command c) {
        if (killed) {
            return List.of();
        }
        if (c instanceof Command.CreateNode n) {
            createNode(n.id(), n.amount());
        } else if (c instanceof Command.Send s) {
            return send(s);
        } else if (c instanceof Command.Receive r) {
            if (r.from() == null) {
                throw new IllegalArgumentException("a Receive without sender is a choice: use ready() and pop()");
            }
            boolean valid = nodes.contains(r.to()) && nodes.contains(r.from()) && !r.to().equals(r.from());
            return valid && !queue(r.from(), r.to()).isEmpty() ? List.of(pop(new Chan(r.from(), r.to()))) : List.of();
        } else if (c instanceof Command.ReceiveAll) {
            Drain.run(this);
        } else if (c instanceof Command.BeginSnapshot b) {
            return begin(b.id());
        } else if (c instanceof Command.CollectState) {
            if (counter > 0) {
                collected = CollectedSnapshot.of(this);
            }
        } else if (c instanceof Command.KillAll) {
            killed = true;
        } else if (!(c instanceof Command.StartMaster)) {
            throw new IllegalArgumentException("not a state command: " + c);
        }
        return List.of();
    }

    /** The channels a {@code Receive TO} without sender may take from; empty when it prints nothing. */
    List<Chan> ready(String to) {
        List<Chan> ready = new ArrayList<>();
        if (!killed && nodes.contains(to)) {
            for (String p : peers(to)) {
                if (!queue(p, to).isEmpty()) {
                    ready.add(new Chan(p, to));
                }
            }
        }
        return ready;
    }

    /** The line that taking the head of {@code ch} prints. */
    String headLine(Chan ch) {
        Msg m = queue(ch.from(), ch.to()).getFirst();
        return m.marker() ? ch.from() + " SnapshotToken -1" : ch.from() + " Transfer " + m.value();
    }

    /** Takes the head of a non-empty channel and returns the line that prints. */
    String pop(Chan ch) {
        String line = headLine(ch);
        Msg m = queue(ch.from(), ch.to()).removeFirst();
        Rec rec = recs.get(ch.to());
        if (!m.marker()) {
            balance.merge(ch.to(), m.value(), Long::sum);
            if (rec.open.contains(ch.from())) {
                rec.sums.merge(ch.from(), m.value(), Long::sum);
            }
        } else if (m.value() > rec.snap) {
            record(ch.to(), m.value(), ch.from());
        } else if (m.value() == rec.snap) {
            rec.open.remove(ch.from());
        }
        return line;
    }

    /** The collected snapshot PrintSnapshot prints, or null when it prints nothing. */
    CollectedSnapshot printable() {
        return killed ? null : collected;
    }

    private void createNode(String id, long amount) {
        if (nodes.contains(id)) {
            return;
        }
        for (String p : nodes) {
            queues.put(new Chan(p, id), new ArrayDeque<>());
            queues.put(new Chan(id, p), new ArrayDeque<>());
        }
        nodes.add(id);
        balance.put(id, amount);
        recs.put(id, new Rec());
    }

    private List<String> send(Command.Send s) {
        if (!nodes.contains(s.from()) || !nodes.contains(s.to()) || s.from().equals(s.to())) {
            return List.of();
        }
        if (s.amount() > balance.get(s.from())) {
            return List.of("ERR_SEND");
        }
        balance.merge(s.from(), -s.amount(), Long::sum);
        queue(s.from(), s.to()).addLast(Msg.transfer(s.amount()));
        return List.of();
    }

    private List<String> begin(String id) {
        if (!nodes.contains(id)) {
            return List.of();
        }
        counter++;
        // The unknowns belonged to the previous snapshot, which can never be collected again.
        group = null;
        record(id, counter, null);
        return List.of("Started by Node " + id);
    }

    /** Node {@code id} records snapshot {@code snap} now and sends its marker on every outgoing channel. */
    private void record(String id, long snap, String markerFrom) {
        Rec rec = new Rec();
        rec.snap = snap;
        rec.state = balance.get(id);
        for (String p : peers(id)) {
            rec.sums.put(p, 0L);
            if (!p.equals(markerFrom)) {
                rec.open.add(p);
            }
            queue(id, p).addLast(Msg.marker(snap));
        }
        recs.put(id, rec);
    }
}
