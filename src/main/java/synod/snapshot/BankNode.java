package synod.snapshot;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
            throw new IllegalArgumentException("not a bank message: " + message);
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
            throw new IllegalArgumentException("command " + m + " while one is still in progress");
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
            throw new IllegalArgumentException("not a master command: " + m);
        }
    }

    private void onSendMoney(BankMsg.SendMoney s, Output out) {
        if (!inbound.containsKey(s.to())) {
            reply(out, new BankMsg.Done(s.seq(), null, List.of(), "node " + id + " has no channel to " + s.to()));
        } else if (s.amount() < 0) {
            reply(out, new BankMsg.Done(s.seq(), null, List.of(), "negative amount " + s.amount()));
        } else if (s.amount() > balance) {
            reply(out, new BankMsg.Done(s.seq(), "ERR_SEND", List.of(), null));
        } else {
            balance -= s.amount();
            out.send(s.to(), new BankMsg.Transfer(s.amount()));
            awaitAcks(out, new BankMsg.Done(s.seq(), null, List.of(s.to()), null));
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
                List<String> peers = peers();
                peers.forEach(p -> out.send(p, new BankMsg.Marker(mk.snapshot())));
                awaitAcks(out, new BankMsg.Done(t.seq(), line, peers, null));
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
        List<String> peers = peers();
        peers.forEach(p -> out.send(p, new BankMsg.Marker(b.snapshot())));
        awaitAcks(out, new BankMsg.Done(b.seq(), null, peers, null));
    }

    private void onPeer(String from, BankMsg m, Output out) {
        if (m instanceof BankMsg.Transfer || m instanceof BankMsg.Marker) {
            enqueue(from, m, out);
        } else if (m instanceof BankMsg.Enqueued) {
            onEnqueued(from, out);
        } else {
            throw new IllegalArgumentException("peer " + from + " sent a master message " + m);
        }
    }

    private void enqueue(String from, BankMsg m, Output out) {
        ArrayDeque<BankMsg> q = inbound.get(from);
        if (q == null) {
            throw new IllegalArgumentException("message from unknown peer " + from);
        }
        q.addLast(m);
        out.send(from, new BankMsg.Enqueued());
    }

    private void onEnqueued(String from, Output out) {
        Integer owed = unacked.get(from);
        if (owed == null) {
            // Counting acks per peer, not in total, keeps a stray ack from releasing the reply early.
            throw new IllegalArgumentException("unexpected ack from " + from);
        }
        if (owed == 1) {
            unacked.remove(from);
        } else {
            unacked.put(from, owed - 1);
        }
        if (unacked.isEmpty() && pendingReply != null) {
            out.send(Envelope.MASTER, pendingReply);
            pendingReply = null;
        }
    }

    /** Replies with {@code done} once every receiver in {@code done.pushed()} has acked. */
    private void awaitAcks(Output out, BankMsg.Done done) {
        if (done.pushed().isEmpty()) {
            reply(out, done);
            return;
        }
        done.pushed().forEach(p -> unacked.merge(p, 1, Integer::sum));
        pendingReply = done;
    }

    private static void reply(Output out, BankMsg.Done done) {
        out.send(Envelope.MASTER, done);
    }
}
