package synod.paxos;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import synod.app.StateMachine;
import synod.core.BadMessage;
import synod.core.Message;
import synod.core.Output;
import synod.txn.TxnAgent;
import synod.txn.TxnMsg;
import synod.txn.TxnTable;

/**
 * One Multi-Paxos node as a pure core: acceptor, replica and leader together, stepped by messages
 * and ticks, answering with an {@link Output}. Messages a node sends itself are handled within the
 * same step, so its own promise or acceptance is in the step's records, which the runtime forces to
 * disk before anything leaves.
 *
 * <p>Invariants (checked by the simulator after every event): at most one value is decided per
 * slot; replicas apply identical prefixes.
 */
public final class PaxosNode implements Leader.Net {
    private record Local(String from, PaxosMsg message) {}

    private final PaxosConfig cfg;
    private final String me;
    private final Acceptor acceptor = new Acceptor();
    private final Replica replica;
    private final Leader leader;
    private final ArrayDeque<Local> local = new ArrayDeque<>();
    private final Parts parts;
    private final CheckpointParts checkpointParts = new CheckpointParts();
    private final List<Request> parked = new ArrayList<>();
    /** The earliest tick at which a heartbeat may make this node ask the leader to catch it up again. */
    private long nextCatchUp = 0;
    /** Per proposer, the tick before which an Accept below this node's checkpoint gets no catch-up reply. */
    private final java.util.TreeMap<String, Long> catchUpServed = new java.util.TreeMap<>();
    /** The highest commit slot the leader's heartbeats announced: how far a catch-up must go. */
    private long commitHeard = 0;
    /** Two-phase commit with the other groups of a sharded cluster; null in a cluster of one group. */
    private TxnAgent txn;
    /** Every group's members, group 1 first, and this node's group: who may send 2PC messages. */
    private List<List<String>> groups = List.of();
    private int group;

    public PaxosNode(PaxosConfig cfg, String me, StateMachine machine, Random random) {
        this.cfg = cfg;
        this.me = me;
        this.replica = new Replica(machine);
        this.parts = new Parts(cfg.frameBytesMax());
        this.leader = new Leader(cfg, me, random, acceptor, replica, this);
    }

    /**
     * Makes this node one group of a sharded cluster: {@code groups} lists every group's members
     * (group 1 first) and {@code table} is this group's transaction table, inside its state machine.
     */
    public void enableTxn(List<List<String>> groups, int group, TxnTable table, TxnAgent.Timing timing) {
        this.groups = List.copyOf(groups);
        this.group = group;
        txn = new TxnAgent(groups, group, table, timing, new TxnAgent.Net() {
            @Override
            public void send(String to, Message m, Output out) {
                out.send(to, m);
            }

            @Override
            public void propose(String name, synod.txn.TxnEntry e, Output out) {
                leader.submit(fitted(name, e));
            }
        });
    }

    /**
     * A 2PC step as a request that fits a slot: a decision's reason (a guard's quotes a key and
     * part of its value, which on a cluster of small frames may outgrow what a request may take)
     * is cut until it does. The other steps fit by the edge's rule: a transaction's request leaves
     * {@link WireSize#TXN_ENTRY_WRAP} bytes for the entry that carries its steps.
     */
    private Request fitted(String name, synod.txn.TxnEntry e) {
        int budget = WireSize.requestBudget(cfg.frameBytesMax());
        Request r = new Request(name, 0, new synod.app.Op.Txn(e));
        while (WireSize.request(r) > budget && e instanceof synod.txn.TxnEntry.Decide d && d.outcome() != null
                && d.outcome().reason() != null && d.outcome().reason().length() > 3) {
            String reason = d.outcome().reason();
            int keep = Math.max(3, reason.length() - (WireSize.request(r) - budget));
            e = new synod.txn.TxnEntry.Decide(d.txid(), d.commit(),
                    new synod.txn.Outcome(d.outcome().kind(), synod.app.KvGuard.shown(reason, keep)), d.watermark());
            r = new Request(name, 0, new synod.app.Op.Txn(e));
        }
        return r;
    }

    /** Replays the node's durable log (oldest first) before the first step. */
    public void recover(List<Durable> records) {
        for (Durable d : records) {
            acceptor.recover(d);
            if (d instanceof Durable.Checkpoint c && c.slot() > replica.slotOut()) {
                replica.restore(c);
            }
        }
    }

    public String id() {
        return me;
    }

    public Output tick() {
        Output out = new Output();
        leader.tick(out);
        if (txn != null) {
            txn.tick(isLeader(), out);
        }
        leader.proposeQueued(out);
        drainLocal(out);
        return out;
    }

    /** True while the leader's queued requests wait for the linger: the runtime ends it soon ({@link #endLinger}). */
    public boolean lingering() {
        return leader.lingering();
    }

    /** The runtime's short wait for more requests is over: the leader proposes what it queued. */
    public Output endLinger() {
        Output out = new Output();
        leader.endLinger(out);
        drainLocal(out);
        return out;
    }

    /** The master asks this node to lead: it starts an election now unless it leads or campaigns already. */
    public Output campaign() {
        Output out = new Output();
        leader.campaign(out);
        drainLocal(out);
        return out;
    }

    /**
     * The runtime finished a round of steps (everything its sockets had ready): the leader proposes
     * the requests the round queued, in as few slots as they fit. Batching per round is what lets
     * one fsync and one Accept carry many clients' requests.
     */
    public Output endOfRound() {
        Output out = new Output();
        leader.proposeQueued(out);
        drainLocal(out);
        return out;
    }

    /** One message from a peer node or a client. */
    public Output step(String from, Message message) {
        Output out = new Output();
        if (message instanceof TxnMsg t && txn != null) {
            String problem = synod.txn.TxnCheck.problem(t, from, groups, group);
            if (problem != null) {
                throw new BadMessage("refused 2PC message from " + from + ": " + problem);
            }
            txn.onMessage(from, t, isLeader(), out);
            return out;
        }
        if (!(message instanceof PaxosMsg m)) {
            throw new BadMessage("not a message for this node: " + message + " from " + from);
        }
        dispatch(from, m, out);
        drainLocal(out);
        return out;
    }

    /** Executed entries changed these transactions: the leader sends what they call for. */
    private void touched(Output out) {
        List<String> t = replica.takeTouched();
        if (txn != null && !t.isEmpty()) {
            txn.onTouched(t, isLeader(), out);
        }
    }

    private void drainLocal(Output out) {
        for (Local l = local.poll(); l != null; l = local.poll()) {
            dispatch(l.from(), l.message(), out);
        }
    }

    @Override
    public void send(String to, PaxosMsg m, Output out) {
        if (to.equals(me)) {
            local.add(new Local(me, m));
        } else {
            for (PaxosMsg part : parts.of(m)) { // everything for the wire is cut below the frame limit
                out.send(to, part);
            }
        }
    }

    @Override
    public void broadcast(PaxosMsg m, Output out) {
        for (String n : cfg.nodes()) {
            send(n, m, out);
        }
    }

    /**
     * An Accept rests only on this node's promise of its ballot, and that was forced before the
     * Prepares that won the ballot left (with a majority above one, leading takes a remote Promise,
     * sent only in answer to them). So it may leave before this step's records, this node's own
     * acceptance among them, are forced: the followers' fsyncs overlap the leader's. The leader's
     * own vote still counts only within the step, and the Decide it may complete leaves after the force.
     */
    @Override
    public void propose(PaxosMsg m, Output out) {
        for (String n : cfg.nodes()) {
            if (n.equals(me)) {
                local.add(new Local(me, m));
            } else if (cfg.majority() > 1) {
                out.sendEarly(n, m);
            } else {
                out.send(n, m);
            }
        }
    }

    private boolean member(String id) {
        return cfg.nodes().contains(id);
    }

    private void dispatch(String from, PaxosMsg m, Output out) {
        if (m instanceof PaxosMsg.ClientRequest c) {
            onClientRequest(from, c.request(), out);
            return;
        }
        if (!member(from)) {
            throw new BadMessage(from + " is not a member of this group but sent " + m);
        }
        withinReach(from, m);
        if (m instanceof PaxosMsg.Prepare p) {
            onPrepare(from, p, out);
        } else if (m instanceof PaxosMsg.Accept a) {
            onAccept(from, a.ballot(), a.entries(), out, false);
        } else if (m instanceof PaxosMsg.NewView v) {
            if (!from.equals(me)) {
                leader.views().add(v);
            }
            onAccept(from, v.ballot(), v.entries(), out, true);
        } else if (m instanceof PaxosMsg.Promise p) {
            leader.onPromise(from, p, out);
        } else if (m instanceof PaxosMsg.Nack n) {
            leader.onNack(n);
        } else if (m instanceof PaxosMsg.Accepted a) {
            leader.onAccepted(from, a, out);
        } else if (m instanceof PaxosMsg.Decide d) {
            onDecide(d, out);
        } else if (m instanceof PaxosMsg.Heartbeat h) {
            onHeartbeat(from, h, out);
        } else if (m instanceof PaxosMsg.CatchUp c) {
            send(from, replica.catchUp(c.fromSlot(), cfg.catchUpBatch()), out);
        } else if (m instanceof PaxosMsg.CatchUpReply r) {
            onCatchUpReply(from, r, out);
        } else if (m instanceof PaxosMsg.CheckpointPart p) {
            com.fasterxml.jackson.databind.JsonNode whole = checkpointParts.add(from, p);
            if (whole != null) {
                onCatchUpReply(from, new PaxosMsg.CatchUpReply(p.slot(), List.of(), p.slot(), whole), out);
            }
        } else {
            throw new BadMessage("a node does not take " + m.getClass().getSimpleName() + " from " + from);
        }
    }

    /**
     * Rounds a member's ballot may run ahead of the highest this node has promised. A correct node
     * goes one round up per election it starts, so no member is this far ahead; a ballot that is
     * would bring the round near its bound ({@code MessageCheck.ROUND_MAX}), where no election
     * could ever start again.
     */
    public static final long ROUND_REACH = 1L << 20;
    /**
     * Slots past the first unexecuted one this node accepts a value for. A leader proposes a few
     * dozen slots past its own; a value far beyond would make the next leader fill every slot up
     * to it with a no-op (out of memory, for slot 10^9). A node further behind than this accepts
     * nothing until it has caught up, which it does from the leader's heartbeats.
     */
    public static final long SLOT_REACH = 1L << 14;

    /** Refuses a member's message whose ballot is beyond {@link #ROUND_REACH}. */
    private void withinReach(String from, PaxosMsg m) {
        Ballot b = m instanceof PaxosMsg.Prepare p ? p.ballot() : m instanceof PaxosMsg.Accept a ? a.ballot()
                : m instanceof PaxosMsg.NewView v ? v.ballot() : m instanceof PaxosMsg.Promise p ? p.ballot()
                : m instanceof PaxosMsg.Nack n ? n.promised() : m instanceof PaxosMsg.Heartbeat h ? h.ballot()
                : m instanceof PaxosMsg.Accepted a ? a.ballot() : null;
        if (b != null && b.round() > acceptor.promised().round() + ROUND_REACH) {
            throw new BadMessage(from + "'s ballot " + b + " is more than " + ROUND_REACH
                    + " rounds beyond the promise " + acceptor.promised());
        }
    }

    /** The entries of an Accept this node may take: those within {@link #SLOT_REACH} of its log. */
    private List<PValue> reachable(List<PValue> entries) {
        long last = replica.slotOut() + SLOT_REACH;
        if (entries.stream().allMatch(e -> e.slot() <= last)) {
            return entries;
        }
        return entries.stream().filter(e -> e.slot() <= last).toList();
    }

    private void onPrepare(String from, PaxosMsg.Prepare p, Output out) {
        out.point("after-receive-prepare");
        leader.observe(from, p.ballot(), false);
        PaxosMsg reply = acceptor.onPrepare(p, out);
        if (reply instanceof PaxosMsg.Promise) {
            out.point("after-persist-promise");
        }
        send(from, reply, out);
    }

    private void onAccept(String from, Ballot b, List<PValue> entries, Output out, boolean view) {
        out.point("after-receive-accept");
        leader.observe(from, b, true);
        PaxosMsg reply = acceptor.onAccept(b, reachable(entries), out);
        if (reply instanceof PaxosMsg.Accepted) {
            out.point("after-persist-accept");
            if (!from.equals(me)) {
                parked.forEach(r -> send(from, new PaxosMsg.ClientRequest(r), out));
                parked.clear();
            }
        }
        send(from, reply, out);
        long first = entries.stream().mapToLong(PValue::slot).min().orElse(Long.MAX_VALUE);
        boolean refused = reply instanceof PaxosMsg.Nack;
        if (first < acceptor.forgottenBelow() && !from.equals(me)
                && (!refused || leader.now() >= catchUpServed.getOrDefault(from, 0L))) {
            // This acceptor checkpointed those slots away and will never accept them: they are decided,
            // and the proposer, behind, must learn them from us or wait for ever on a majority. A
            // refused (stale) proposer gets it once a retransmit interval: a reply of up to a frame for
            // every Accept a stale leader sent piled up 750 of them for a peer behind a partition, and
            // the node ran out of heap (NetnsTest). It is still caught up, for it may answer clients
            // from what it applied; and the current leader, at once, as before: pacing it slowed a
            // resharding enough that clients chased moving items past their hop limit (ReshardLiveTest).
            if (refused) {
                catchUpServed.put(from, leader.now() + cfg.retransmitTicks());
            }
            send(from, replica.catchUp(first, cfg.catchUpBatch()), out);
        }
    }

    private void onDecide(PaxosMsg.Decide d, Output out) {
        Value v = d.value();
        if (v == null) {
            PValue mine = acceptor.accepted(d.slot());
            if (mine == null) {
                // Checkpointed away (so applied already), or never accepted here: then the leader sent
                // the value, unless this node lost it, and the heartbeat's commit slot will catch it up.
                return;
            }
            v = mine.value();
        }
        decide(d.slot(), v, out);
    }

    private void onHeartbeat(String from, PaxosMsg.Heartbeat h, Output out) {
        leader.observe(from, h.ballot(), true);
        if (!from.equals(leader.leader())) {
            return;
        }
        parked.forEach(r -> send(from, new PaxosMsg.ClientRequest(r), out));
        parked.clear();
        commitHeard = Math.max(commitHeard, h.commitSlot());
        if (replica.slotOut() < h.commitSlot() && leader.now() >= nextCatchUp) {
            nextCatchUp = leader.now() + cfg.retransmitTicks();
            send(from, new PaxosMsg.CatchUp(replica.slotOut()), out);
        }
    }

    /**
     * Installs what a catch-up brought; if it moved this node on and the leader's commit slot is
     * still ahead, asks the same node for the next batch at once. Waiting for the next heartbeat
     * instead paced a restarted node at one batch (256 slots) per retransmit interval: seconds behind a busy group.
     */
    private void onCatchUpReply(String from, PaxosMsg.CatchUpReply r, Output out) {
        long before = replica.slotOut();
        install(r, out);
        if (replica.slotOut() > before && replica.slotOut() < commitHeard && !from.equals(me)) {
            nextCatchUp = leader.now() + cfg.retransmitTicks();
            send(from, new PaxosMsg.CatchUp(replica.slotOut()), out);
        }
    }

    private void install(PaxosMsg.CatchUpReply r, Output out) {
        if (r.checkpoint() != null) {
            Durable.Checkpoint c = replica.install(r.checkpoint());
            if (c != null) {
                checkpointed(c, out);
                if (txn != null) {
                    txn.onRestored(isLeader(), out); // no executed entry touched what the checkpoint brought
                }
            }
        }
        for (PValue pv : r.decided()) {
            decide(pv.slot(), pv.value(), out);
        }
        leader.dropDecided(out);
        touched(out);
    }

    private void decide(long slot, Value value, Output out) {
        replica.onDecide(slot, value, leader.leader(), out);
        leader.onDecided(value);
        Durable.Checkpoint c = replica.maybeCheckpoint(cfg.checkpointEvery());
        if (c != null) {
            checkpointed(c, out);
        }
        touched(out);
    }

    private void checkpointed(Durable.Checkpoint c, Output out) {
        List<Object> all = new ArrayList<>();
        all.add(c);
        all.addAll(acceptor.forgetBelow(c.slot()));
        out.rewrite(all);
        replica.drain(leader.leader(), out);
    }

    private void onClientRequest(String from, Request r, Output out) {
        if (!member(from)) {
            replica.attach(r.client(), from);
        }
        Replica.Executed done = replica.executed(r.client());
        if (done != null && done.seq() >= r.seq()) {
            if (done.seq() == r.seq() && !member(from)) {
                out.send(from, new PaxosMsg.ClientReply(r.client(), r.seq(), done.result(), leader.leader()));
            }
            return;
        }
        if (leader.role() == Leader.Role.LEADER) {
            leader.submit(r);
        } else if (leader.leader() != null && !member(from)) {
            send(leader.leader(), new PaxosMsg.ClientRequest(r), out);
        } else if (!member(from)) {
            parked.add(r);
        }
    }

    // ---- what the master and checkers may ask ----

    public boolean isLeader() {
        return leader.role() == Leader.Role.LEADER;
    }

    public String leaderId() {
        return leader.leader();
    }

    public Ballot ballot() {
        return leader.ballot();
    }

    public Acceptor acceptor() {
        return acceptor;
    }

    public Replica replica() {
        return replica;
    }

    public List<PaxosMsg.NewView> views() {
        return List.copyOf(leader.views());
    }

    /** PrintStatus: E executed, C committed (decided, not yet executed), A accepted, X nothing. */
    public char status(long slot) {
        if (slot < replica.slotOut()) {
            return 'E';
        }
        if (replica.knowsDecided(slot)) {
            return 'C';
        }
        return acceptor.accepted(slot) != null ? 'A' : 'X';
    }
}
