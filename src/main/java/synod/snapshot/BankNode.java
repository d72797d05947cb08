package synod.snapshot;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import synod.core.BadMessage;
import synod.core.Check;
import synod.core.Envelope;
import synod.core.Message;
import synod.core.Output;

/**
 * One node of the CS380D distributed bank, as a pure core: a balance, one FIFO queue per incoming
 * channel (money waits there until the master says Receive), and a Chandy-Lamport {@link Recorder}.
 *
 * <p>A master command is answered only once every message it caused (a transfer, or the markers
 * sent on recording) is queued at its receiver, so the next command sees a settled system. The
 * master sends one command at a time to a node.
 *
 * <p>Invariant: money is conserved: balance + money in flight from this node never changes except
 * by a Transfer being taken; a channel that reports a message has one.
 */
public final class BankNode {
    private final String id;
    private long balance;
    private final Map<String, ArrayDeque<BankMsg>> inbound = new TreeMap<>();
    private final Recorder recorder = new Recorder();
    /** Acks still owed, by peer: only a peer we sent to may ack, and only as often as we sent. */
    private final Map<String, Integer> unacked = new TreeMap<>();
    private final Set<String> down = new TreeSet<>();
    private BankMsg.Done pendingReply = null;

    public BankNode(String id, long balance) {
        Check.that(balance >= 0, "negative initial balance %d", balance);
        this.id = id;
        this.balance = balance;
    }

    public String id() {
        return id;
    }

    public long balance() {
        return balance;
    }

    /** Adds a channel to and from {@code peer}; idempotent. */
    public void addPeer(String peer) {
        Check.that(!peer.equals(id), "node %s cannot peer with itself", id);
        inbound.computeIfAbsent(peer, p -> new ArrayDeque<>());
    }

    public List<String> peers() {
        return List.copyOf(inbound.keySet());
    }

    /** How many messages wait on the channel from {@code peer}. */
    public int queued(String peer) {
        ArrayDeque<BankMsg> q = inbound.get(peer);
        return q == null ? 0 : q.size();
    }

    /** The messages waiting on the channel from {@code peer}, head first (a copy, for checkers). */
    public List<BankMsg> waiting(String peer) {
        ArrayDeque<BankMsg> q = inbound.get(peer);
        return q == null ? List.of() : List.copyOf(q);
    }

    /** One step: a message from {@code from} (a peer, or {@link Envelope#MASTER}). */
    public Output step(String from, Message message) {
        Output out = new Output();
        if (!(message instanceof BankMsg m)) {
            throw new BadMessage("not a bank message: " + message);
        }
        if (from.equals(Envelope.MASTER)) {
            onCommand(m, out);
        } else {
            onPeer(from, m, out);
        }
        return out;
    }

    private void onCommand(BankMsg m, Output out) {
        if (pendingReply != null) {
            throw new BadMessage("command " + m + " while one is still in progress");
        }
        if (m instanceof BankMsg.SendMoney s) {
            onSendMoney(s, out);
        } else if (m instanceof BankMsg.Take t) {
            onTake(t, out);
        } else if (m instanceof BankMsg.Begin b) {
            onBegin(b, out);
        } else if (m instanceof BankMsg.Collect c) {
            out.send(Envelope.MASTER, recorder.report(c.seq(), c.snapshot()));
        } else {
            throw new BadMessage("not a master command: " + m);
        }
    }

    private void onSendMoney(BankMsg.SendMoney s, Output out) {
        if (!inbound.containsKey(s.to())) {
            reply(out, new BankMsg.Done(s.seq(), null, List.of(), "node " + id + " has no channel to " + s.to()));
        } else if (s.amount() < 0) {
            reply(out, new BankMsg.Done(s.seq(), null, List.of(), "negative amount " + s.amount()));
        } else if (s.amount() > balance) {
            reply(out, new BankMsg.Done(s.seq(), "ERR_SEND", List.of(), null));
        } else if (down.contains(s.to())) {
            reply(out, new BankMsg.Done(s.seq(), null, List.of(), "channel to node " + s.to() + " is down; nothing sent"));
        } else {
            balance -= s.amount();
            out.send(s.to(), new BankMsg.Transfer(s.amount()));
            awaitAcks(out, List.of(s.to()), new BankMsg.Done(s.seq(), null, List.of(s.to()), null));
        }
    }

    private void onTake(BankMsg.Take t, Output out) {
        ArrayDeque<BankMsg> q = inbound.get(t.from());
        if (q == null || q.isEmpty()) {
            String why = q == null ? "node " + id + " has no channel from " + t.from()
                    : "channel (" + t.from() + " -> " + id + ") is empty";
            reply(out, new BankMsg.Done(t.seq(), null, List.of(), why));
            return;
        }
        BankMsg head = q.removeFirst();
        if (head instanceof BankMsg.Transfer tr) {
            balance += tr.amount();
            recorder.onTransfer(t.from(), tr.amount());
            reply(out, new BankMsg.Done(t.seq(), t.from() + " Transfer " + tr.amount(), List.of(), null));
        } else if (head instanceof BankMsg.Marker mk) {
            String line = t.from() + " SnapshotToken -1";
            if (recorder.onMarker(t.from(), mk.snapshot(), balance, inbound.keySet())) {
                sendMarkers(mk.snapshot(), t.seq(), line, out);
            } else {
                reply(out, new BankMsg.Done(t.seq(), line, List.of(), null));
            }
        } else {
            Check.that(false, "channel from %s holds a non-channel message %s", t.from(), head);
        }
    }

    private void onBegin(BankMsg.Begin b, Output out) {
        if (b.snapshot() <= recorder.snapshot()) {
            reply(out, new BankMsg.Done(b.seq(), null, List.of(), "snapshot " + b.snapshot() + " is not new"));
            return;
        }
        recorder.begin(b.snapshot(), balance, inbound.keySet());
        sendMarkers(b.snapshot(), b.seq(), null, out);
    }

    /** Markers go to every peer whose channel is up; a down channel is reported, not waited on. */
    private void sendMarkers(long snap, long seq, String line, Output out) {
        List<String> up = new ArrayList<>();
        for (String p : inbound.keySet()) {
            if (!down.contains(p)) {
                up.add(p);
                out.send(p, new BankMsg.Marker(snap));
            }
        }
        String error = down.isEmpty() ? null : "no marker sent to node(s) " + down + ": channel down";
        awaitAcks(out, up, new BankMsg.Done(seq, line, up, error));
    }

    private void onPeer(String from, BankMsg m, Output out) {
        if (m instanceof BankMsg.Transfer || m instanceof BankMsg.Marker) {
            enqueue(from, m, out);
        } else if (m instanceof BankMsg.Enqueued) {
            onEnqueued(from, out);
        } else {
            throw new BadMessage("peer " + from + " sent a master message " + m);
        }
    }

    private void enqueue(String from, BankMsg m, Output out) {
        ArrayDeque<BankMsg> q = inbound.get(from);
        if (q == null) {
            throw new BadMessage("message from unknown peer " + from);
        }
        q.addLast(m);
        out.send(from, new BankMsg.Enqueued());
    }

    private void onEnqueued(String from, Output out) {
        Integer n = unacked.get(from);
        if (n == null) {
            throw new BadMessage("unexpected ack from " + from);
        }
        if (n == 1) {
            unacked.remove(from);
        } else {
            unacked.put(from, n - 1);
        }
        maybeReply(out);
    }

    private void awaitAcks(Output out, List<String> from, BankMsg.Done done) {
        for (String p : from) {
            unacked.merge(p, 1, Integer::sum);
        }
        pendingReply = done;
        maybeReply(out);
    }

    private void maybeReply(Output out) {
        if (unacked.isEmpty() && pendingReply != null) {
            reply(out, pendingReply);
            pendingReply = null;
        }
    }

    /**
     * The channel to {@code peer} broke (its process died, say). Acks it owed will never come: the
     * command waiting on them is answered now, with an error, instead of hanging.
     */
    public Output onPeerDown(String peer) {
        Output out = new Output();
        if (!inbound.containsKey(peer) || !down.add(peer)) {
            return out;
        }
        if (unacked.remove(peer) != null && pendingReply != null) {
            BankMsg.Done d = pendingReply;
            String why = "node " + peer + " went down before queueing what node " + id + " sent it";
            pendingReply = new BankMsg.Done(d.seq(), d.line(), d.pushed(), d.error() == null ? why : d.error() + "; " + why);
        }
        maybeReply(out);
        return out;
    }

    /** The channel to {@code peer} is (again) connected. */
    public void onPeerUp(String peer) {
        down.remove(peer);
    }

    private static void reply(Output out, BankMsg.Done done) {
        out.send(Envelope.MASTER, done);
    }
}
