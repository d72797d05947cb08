package synod.txn;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import synod.core.Check;
import synod.core.Message;
import synod.core.Output;

/**
 * What a group's leader does for two-phase commit: it turns the executed {@link TxnTable} into
 * messages to the other groups' leaders, resends them until answered, proposes the 2PC steps those
 * answers call for into its own group's log, and times out a coordinator whose participants do not
 * vote. All of its state is soft: what must be sent is derived from the replicated table, so a new
 * leader rebuilds it ({@link #resume}) and carries on where the old one stopped. Pure: time is
 * ticks, and it only ever answers with an {@link Output}.
 *
 * <p>Invariant: a decision leaves this node only once it is executed in this group's table, never
 * when it is merely proposed; so every group hears the one decision the coordinator group's log holds.
 */
public final class TxnAgent {

    /** How the agent reaches the network and its own group's log; implemented by the node. */
    public interface Net {
        void send(String to, Message m, Output out);

        /** Proposes a 2PC step into this group's log; {@code name} makes a repeated proposal a duplicate. */
        void propose(String name, TxnEntry e, Output out);
    }

    /** Timing in ticks: resend, the coordinator's 2PC timeout, and a prepared participant's patience. */
    public record Timing(int retransmitTicks, int timeoutTicks, int inquireTicks) {
        public static final Timing DEFAULT = new Timing(10, 200, 400);
    }

    private static final class Timer {
        final long since;
        long lastSent;

        Timer(long now) {
            since = now;
            lastSent = now;
        }
    }

    private final List<List<String>> groups;
    private final int group;
    private final TxnTable table;
    private final Timing timing;
    private final Net net;
    private final Map<Integer, String> leaderHint = new TreeMap<>();
    private final TreeMap<String, Timer> timers = new TreeMap<>();
    private final TreeMap<String, TreeMap<Integer, TxnMsg.Vote>> votes = new TreeMap<>();
    /** Coordinated transactions whose decision this leader has proposed and not yet seen executed. */
    private final TreeSet<String> deciding = new TreeSet<>();
    /**
     * Acknowledgements heard since the last tick, proposed together at the next one: an ack only lets
     * the record go, so it may wait a tick, and alone it would cost a slot (a force on every node and a
     * round of messages) for each acknowledgement that arrives by itself, as most do. Soft: a new
     * leader resends the decisions and hears the acks again.
     */
    private final TreeMap<String, TxnEntry.Ack> acksDue = new TreeMap<>();
    private boolean leading;
    private long now;

    /** {@code groups}: every group's members, group 1 first; {@code group}: this node's (1-based). */
    public TxnAgent(List<List<String>> groups, int group, TxnTable table, Timing timing, Net net) {
        this.groups = List.copyOf(groups);
        this.group = group;
        this.table = table;
        this.timing = timing;
        this.net = net;
    }

    // ---- driven by the node ----

    /** A tick; {@code leader}: whether this node leads its group now. */
    public void tick(boolean leader, Output out) {
        now++;
        follow(leader, out);
        if (!leading) {
            return;
        }
        acksDue.forEach((name, a) -> net.propose(name, a, out));
        acksDue.clear();
        for (String txid : List.copyOf(timers.keySet())) {
            Timer t = timers.get(txid);
            if (t != null && now - t.lastSent >= timing.retransmitTicks()) {
                act(txid, true, out);
            }
        }
    }

    /** Entries executed in this group changed these transactions; a leader sends what they call for. */
    public void onTouched(List<String> txids, boolean leader, Output out) {
        follow(leader, out);
        if (leading) {
            txids.forEach(txid -> act(txid, false, out));
        }
    }

    /**
     * The table was replaced whole (a checkpoint installed from a peer), so it may hold transactions
     * no executed entry ever told this node of: a leader acts on all of them, as a new leader does.
     */
    public void onRestored(boolean leader, Output out) {
        boolean was = leading;
        follow(leader, out);
        if (was && leading) {
            resume(out); // follow() resumed already if this node has only now become leader
        }
    }

    /** A 2PC message from another group's node; only a leader acts on it. */
    public void onMessage(String from, TxnMsg m, boolean leader, Output out) {
        follow(leader, out);
        if (!leading) {
            return; // its sender resends to every node of this group until the leader answers
        }
        leaderHint.put(m.group(), from);
        if (m instanceof TxnMsg.PrepareTxn p) {
            onPrepare(p, out);
        } else if (m instanceof TxnMsg.Vote v) {
            onVote(v, out);
        } else if (m instanceof TxnMsg.Decision d) {
            onDecision(d, out);
        } else if (m instanceof TxnMsg.Ack a) {
            TxnTable.Coord c = table.coord(a.txid());
            if (c != null && c.decided() && !c.acks().contains(a.group())) {
                acksDue.put("#2pc/" + a.txid() + "/ack/" + a.group(), new TxnEntry.Ack(a.txid(), a.group()));
            }
        } else if (m instanceof TxnMsg.Inquire q) {
            TxnTable.Coord c = table.coord(q.txid());
            if (c != null && c.decided()) {
                sendDecision(c, q.group(), false, out);
            }
        }
    }

    /** Leadership changed: a new leader resumes every transaction of the table; a former one forgets. */
    private void follow(boolean leader, Output out) {
        if (leader == leading) {
            return;
        }
        leading = leader;
        timers.clear();
        votes.clear();
        deciding.clear();
        acksDue.clear();
        if (leader) {
            resume(out);
        }
    }

    private void resume(Output out) {
        List<String> all = new java.util.ArrayList<>(table.coords().keySet());
        all.addAll(table.parts().keySet());
        all.forEach(txid -> act(txid, true, out));
    }

    // ---- incoming ----

    private void onPrepare(TxnMsg.PrepareTxn p, Output out) {
        if (table.part(p.txid()) != null) {
            act(p.txid(), false, out); // prepared (or refused, or decided) already: answer from the record
        } else {
            net.propose("#2pc/" + p.txid() + "/prepare", new TxnEntry.Prepare(p.txid(), p.writes(), p.watermark()), out);
        }
    }

    private void onVote(TxnMsg.Vote v, Output out) {
        TxnTable.Coord c = table.coord(v.txid());
        if (c == null || !c.remote().containsKey(v.group())) {
            return;
        }
        if (c.decided()) {
            sendDecision(c, v.group(), false, out); // it missed the decision
            return;
        }
        if (deciding.contains(v.txid())) {
            return;
        }
        TreeMap<Integer, TxnMsg.Vote> mine = votes.computeIfAbsent(v.txid(), k -> new TreeMap<>());
        mine.put(v.group(), v);
        if (!v.yes()) {
            decide(c, false, v.refusal(), out); // BUSY tells the client to try again; the rest are final
        } else if (mine.keySet().containsAll(c.remote().keySet())) {
            decide(c, true, Outcome.COMMITTED, out);
        }
    }

    private void decide(TxnTable.Coord c, boolean commit, Outcome outcome, Output out) {
        deciding.add(c.txid());
        net.propose("#2pc/" + c.txid() + "/decide", new TxnEntry.Decide(c.txid(), commit, outcome, 0), out);
    }

    private void onDecision(TxnMsg.Decision d, Output out) {
        TxnTable.Part p = table.part(d.txid());
        if (p != null && (p.state() == TxnTable.State.COMMITTED || p.state() == TxnTable.State.ABORTED)) {
            act(d.txid(), false, out); // applied already: acknowledge again
        } else {
            net.propose("#2pc/" + d.txid() + "/decide",
                    new TxnEntry.Decide(d.txid(), d.commit(), null, d.watermark()), out);
        }
    }

    // ---- outgoing, derived from the table ----

    /** Sends what {@code txid}'s record calls for; {@code again}: a resend, to every node of the group. */
    private void act(String txid, boolean again, Output out) {
        TxnTable.Coord c = table.coord(txid);
        TxnTable.Part p = table.part(txid);
        if (c != null) {
            actAsCoordinator(c, again, out);
        } else if (p != null) {
            actAsParticipant(p, again, out);
        } else {
            timers.remove(txid);
            votes.remove(txid);
            deciding.remove(txid);
        }
    }

    private void actAsCoordinator(TxnTable.Coord c, boolean again, Output out) {
        Timer t = timers.computeIfAbsent(c.txid(), k -> new Timer(now));
        t.lastSent = now;
        if (c.decided()) {
            deciding.remove(c.txid());
            votes.remove(c.txid());
            if (c.state() == TxnTable.State.COMMITTED) {
                out.point("2pc-before-send-commit");
            }
            for (int g : c.remote().keySet()) {
                if (!c.acks().contains(g)) {
                    sendDecision(c, g, again, out);
                }
            }
            return;
        }
        if (deciding.contains(c.txid())) {
            return;
        }
        if (now - t.since >= timing.timeoutTicks()) {
            TreeMap<Integer, TxnMsg.Vote> mine = votes.getOrDefault(c.txid(), new TreeMap<>());
            List<Integer> silent = c.remote().keySet().stream().filter(g -> !mine.containsKey(g)).toList();
            decide(c, false, Outcome.aborted("2PC timeout: group " + join(silent) + " did not vote"), out);
            return;
        }
        TreeMap<Integer, TxnMsg.Vote> mine = votes.getOrDefault(c.txid(), new TreeMap<>());
        for (var e : c.remote().entrySet()) {
            if (!mine.containsKey(e.getKey())) {
                toGroup(e.getKey(), new TxnMsg.PrepareTxn(c.txid(), group, e.getValue(), table.watermark()), again, out);
            }
        }
        out.point("2pc-after-send-prepare");
    }

    private static String join(List<Integer> gs) {
        return String.join(", ", gs.stream().map(String::valueOf).toList());
    }

    private void sendDecision(TxnTable.Coord c, int g, boolean again, Output out) {
        toGroup(g, new TxnMsg.Decision(c.txid(), group, c.state() == TxnTable.State.COMMITTED, table.watermark()),
                again, out);
    }

    private void actAsParticipant(TxnTable.Part p, boolean again, Output out) {
        int coord = p.coordGroup();
        switch (p.state()) {
            case PREPARED -> {
                Timer t = timers.computeIfAbsent(p.txid(), k -> new Timer(now));
                if (!again) {
                    toGroup(coord, new TxnMsg.Vote(p.txid(), group, true, null), false, out);
                    out.point("2pc-after-send-prepared");
                } else if (now - t.since >= timing.inquireTicks()) {
                    toGroup(coord, new TxnMsg.Inquire(p.txid(), group), true, out); // still no decision: ask
                }
                t.lastSent = now;
            }
            case REFUSED -> {
                timers.remove(p.txid());
                toGroup(coord, new TxnMsg.Vote(p.txid(), group, false, p.vote()), again, out);
            }
            case COMMITTED, ABORTED -> {
                timers.remove(p.txid());
                out.point("2pc-before-send-ack");
                toGroup(coord, new TxnMsg.Ack(p.txid(), group), again, out);
            }
            default -> Check.that(false, "a participant record is never %s: %s", p.state(), p);
        }
    }

    /** To group {@code g}'s leader as last heard from; a resend goes to every node of the group. */
    private void toGroup(int g, TxnMsg m, boolean broadcast, Output out) {
        List<String> members = groups.get(g - 1);
        String hint = leaderHint.get(g);
        if (broadcast || hint == null) {
            members.forEach(n -> net.send(n, m, out));
        } else {
            net.send(hint, m, out);
        }
    }
}
