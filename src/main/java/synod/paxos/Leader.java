package synod.paxos;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import synod.core.Check;
import synod.core.Output;

/**
 * The proposer side of a node: follower, candidate (phase 1 over all slots from the first one this
 * node has not applied: the scout) or leader (phase 2 per slot: the commanders, many full slots in flight,
 * one batch of requests per slot). A follower that hears nothing from a leader for a randomized
 * election timeout becomes a candidate; a candidate or leader that learns of a higher ballot steps
 * down and waits an exponentially growing, jittered backoff before trying again, which is what keeps
 * two candidates from preempting each other for ever.
 *
 * <p>Invariants: a ballot this node proposes is above every ballot it promised, so it is never
 * reused, even after a restart, and above every ballot it heard of, so a NACK is not met again with
 * a ballot just as doomed; a leader proposes at most one value per slot per ballot.
 */
final class Leader {
    enum Role { FOLLOWER, CANDIDATE, LEADER }

    /** Talks to the group for the leader; implemented by {@link PaxosNode}. */
    interface Net {
        void send(String to, PaxosMsg m, Output out);

        void broadcast(PaxosMsg m, Output out);

        /** Broadcasts an Accept, letting it leave before this step's records are forced where that is safe. */
        void propose(PaxosMsg m, Output out);
    }

    private static final class Proposal {
        final Value value;
        final Set<String> acks = new TreeSet<>();
        long sentAt;

        Proposal(Value value, long sentAt) {
            this.value = value;
            this.sentAt = sentAt;
        }
    }

    private final PaxosConfig cfg;
    private final String me;
    private final int myIndex;
    private final Random random;
    private final Acceptor acceptor;
    private final Replica replica;
    private final Net net;

    private Role role = Role.FOLLOWER;
    private Ballot ballot = Ballot.ZERO;
    private Ballot leaderBallot = Ballot.ZERO;
    /** The highest ballot this node heard of (in a NACK, a Prepare, an Accept, a heartbeat). */
    private Ballot seen = Ballot.ZERO;
    private String leader;
    private long now;
    private long electionDeadline;
    private long backoff;
    private long phaseStart;
    private long lastSent;
    private long prepareFrom;
    private final TreeMap<String, PaxosMsg.Promise> promises = new TreeMap<>();
    private final PromiseParts promiseParts = new PromiseParts();
    private final TreeMap<Long, Proposal> proposals = new TreeMap<>();
    private long nextSlot;
    private final ArrayDeque<Request> queue = new ArrayDeque<>();
    /**
     * The linger: once the last slot in flight is decided, its clients, just answered, are about to
     * send their next requests; the queue waits for as many (up to {@code lingerFor} queued) before
     * a slot goes, until the tick {@code lingerTick} ends or the runtime calls {@link #endLinger}
     * (after a millisecond). It lasts only while requests are queued: the round's end (proposeQueued)
     * ends it if none are. 0: not lingering.
     */
    private int lingerFor;
    private long lingerTick;
    /** A request's name: what makes a retry the same request. */
    private record Name(String client, long seq) {
        Name(Request r) {
            this(r.client(), r.seq());
        }
    }

    /** The requests queued or proposed and not yet decided: a retry of one is not queued again. Never iterated. */
    private final Set<Name> queued = new java.util.HashSet<>();
    private final List<PaxosMsg.NewView> views = new ArrayList<>();

    Leader(PaxosConfig cfg, String me, Random random, Acceptor acceptor, Replica replica, Net net) {
        this.cfg = cfg;
        this.me = me;
        this.myIndex = cfg.index(me);
        this.random = random;
        this.acceptor = acceptor;
        this.replica = replica;
        this.net = net;
        this.backoff = cfg.backoffMinTicks();
        this.electionDeadline = electionTimeout();
    }

    Role role() {
        return role;
    }

    Ballot ballot() {
        return role == Role.FOLLOWER ? leaderBallot : ballot;
    }

    /** The node believed to lead, or null. */
    String leader() {
        return leader;
    }

    List<PaxosMsg.NewView> views() {
        return views;
    }

    long now() {
        return now;
    }

    private long electionTimeout() {
        return now + cfg.electionTicks() + random.nextInt(cfg.electionTicks());
    }

    // ---- time ----

    void tick(Output out) {
        now++;
        if (role == Role.FOLLOWER && now >= electionDeadline) {
            startElection(out);
        } else if (role == Role.CANDIDATE) {
            if (now - phaseStart >= cfg.electionTicks()) {
                stepDown(true); // no majority answered in time: try again later, higher
            } else if (now - lastSent >= cfg.retransmitTicks()) {
                lastSent = now;
                for (String n : cfg.nodes()) {
                    if (!promises.containsKey(n)) {
                        net.send(n, new PaxosMsg.Prepare(ballot, prepareFrom), out);
                    }
                }
            }
        } else if (role == Role.LEADER && now - lastSent >= cfg.heartbeatTicks()) {
            heartbeat(out);
        }
    }

    /** Told to lead (by the master): elect now rather than at the timeout, unless leading or electing already. */
    void campaign(Output out) {
        if (role == Role.FOLLOWER) {
            startElection(out);
        }
    }

    private void startElection(Output out) {
        Ballot base = max(max(acceptor.promised(), leaderBallot), max(ballot, seen));
        ballot = base.nextFor(myIndex);
        role = Role.CANDIDATE;
        leader = null;
        promises.clear();
        phaseStart = now;
        lastSent = now;
        prepareFrom = replica.slotOut();
        net.broadcast(new PaxosMsg.Prepare(ballot, prepareFrom), out);
        out.point("after-send-prepare");
    }

    private void stepDown(boolean preempted) {
        role = Role.FOLLOWER;
        if (me.equals(leader)) {
            leader = null; // else it would forward client requests to itself and drop them
        }
        proposals.clear();
        queue.clear();
        queued.clear();
        lingerFor = 0;
        promises.clear();
        long wait = backoff / 2 + random.nextInt((int) Math.max(1, backoff / 2 + 1));
        electionDeadline = electionTimeout() + (preempted ? wait : 0);
        if (preempted) {
            backoff = Math.min(cfg.backoffMaxTicks(), backoff * 2);
        }
    }

    private static Ballot max(Ballot a, Ballot b) {
        return a.atLeast(b) ? a : b;
    }

    // ---- phase 1 ----

    void onPromise(String from, PaxosMsg.Promise p, Output out) {
        if (role != Role.CANDIDATE || !p.ballot().equals(ballot) || p.fromSlot() != prepareFrom) {
            return;
        }
        p = promiseParts.add(from, p); // a promise too large for a frame counts once all its parts are in
        if (p == null) {
            return;
        }
        if (p.checkpointSlot() > prepareFrom) {
            // That acceptor forgot slots this node never applied: learn them first, lead later.
            net.send(from, new PaxosMsg.CatchUp(replica.slotOut()), out);
            stepDown(false);
            return;
        }
        promises.put(from, p);
        if (promises.size() >= cfg.majority()) {
            becomeLeader(out);
        }
    }

    private void becomeLeader(Output out) {
        TreeMap<Long, PValue> best = new TreeMap<>();
        for (PaxosMsg.Promise p : promises.values()) {
            for (PValue pv : p.accepted()) {
                PValue had = best.get(pv.slot());
                if (pv.slot() >= prepareFrom && (had == null || pv.ballot().above(had.ballot()))) {
                    best.put(pv.slot(), pv);
                }
            }
        }
        long last = best.isEmpty() ? prepareFrom - 1 : best.lastKey();
        List<PValue> entries = new ArrayList<>();
        // Slots this node applied while it campaigned are decided: nothing to propose there. Its own
        // acceptor may have checkpointed them away and would never vote for them, and proposals that
        // can never win would hold the window shut for good (found by the simulator, seed 1045).
        for (long s = Math.max(prepareFrom, replica.slotOut()); s <= last; s++) {
            Value known = replica.decidedValue(s);
            Value v = known != null ? known : best.containsKey(s) ? best.get(s).value() : Value.NOOP;
            entries.add(new PValue(ballot, s, v));
        }
        role = Role.LEADER;
        leader = me;
        leaderBallot = ballot;
        backoff = cfg.backoffMinTicks();
        proposals.clear();
        entries.forEach(e -> proposals.put(e.slot(), new Proposal(e.value(), now)));
        nextSlot = Math.max(last + 1, replica.slotOut());
        PaxosMsg.NewView view = new PaxosMsg.NewView(ballot, prepareFrom, entries);
        views.add(view);
        net.broadcast(view, out);
        heartbeat(out);
        proposeQueued(out);
    }

    /** An acceptor refused our ballot: someone is ahead of us. */
    void onNack(PaxosMsg.Nack n) {
        seen = max(seen, n.promised()); // the next election must go above it, or be refused again
        if (role != Role.FOLLOWER && n.ballot().equals(ballot) && n.promised().above(ballot)) {
            stepDown(true);
        }
    }

    /** A message carrying {@code b} from {@code from}: a higher ballot makes us step down. */
    void observe(String from, Ballot b, boolean fromLeader) {
        seen = max(seen, b);
        if (role != Role.FOLLOWER && b.above(ballot)) {
            stepDown(true);
        }
        if (fromLeader && b.atLeast(leaderBallot) && !from.equals(me)) {
            leaderBallot = b;
            leader = from;
            electionDeadline = electionTimeout();
        } else if (!fromLeader && role == Role.FOLLOWER && b.above(leaderBallot)) {
            electionDeadline = electionTimeout(); // a candidate is at work: give it time
        }
    }

    // ---- phase 2 ----

    /**
     * A client request reached the leader: queue it once. It is proposed at the end of the runtime's
     * round ({@link #proposeQueued}), in one batch with every other request the round brought.
     */
    void submit(Request r) {
        if (role == Role.LEADER && queued.add(new Name(r))) {
            queue.add(r);
        }
    }

    /**
     * Proposes the queued requests: up to {@code maxBatch} a slot, and no more than one frame holds
     * ({@link WireSize#valueBudget}), while the window has room. While a slot is in flight, only a
     * full slot goes: a partial batch waits for the slot's decision; and then, while the linger
     * lasts, for the answered clients' next requests (with nothing queued when the decision's round
     * ends there is no second cohort to merge, and the next request goes at once). Why: a slot costs
     * every node of the group a force and a round of messages whatever it carries; with the clients
     * split into two cohorts (those in the slot in flight, those queued behind it) every slot carried
     * half of them, and on a machine whose cores are the limit the slots were most of a group's work.
     * Nothing waits while nothing is in flight and nobody was just answered: a lone client's request
     * goes at once.
     */
    void proposeQueued(Output out) {
        if (lingering()) {
            return;
        }
        lingerFor = 0;
        int budget = WireSize.valueBudget(cfg.frameBytesMax());
        while (role == Role.LEADER && !queue.isEmpty() && proposals.size() < cfg.maxInFlight()) {
            List<Request> batch = new ArrayList<>();
            long bytes = WireSize.VALUE_WRAP - 1; // the value's size: each request adds itself and a comma, but one
            boolean full = false;
            while (!queue.isEmpty() && !full) {
                int size = WireSize.request(queue.peek()) + 1;
                if (!batch.isEmpty() && bytes + size > budget) {
                    full = true;
                } else {
                    bytes += size;
                    batch.add(queue.poll());
                    full = batch.size() >= cfg.maxBatch();
                }
            }
            if (!full && !proposals.isEmpty()) {
                for (int i = batch.size() - 1; i >= 0; i--) {
                    queue.addFirst(batch.get(i)); // back at the head, in their order: they go with the next slot
                }
                return;
            }
            Check.that(bytes <= budget, "a value of one request takes %d bytes, over the %d a slot may: the request"
                    + " got past the edge's limit", bytes, budget);
            long slot = nextSlot++;
            Value v = new Value(batch);
            proposals.put(slot, new Proposal(v, now));
            net.propose(new PaxosMsg.Accept(ballot, List.of(new PValue(ballot, slot, v))), out);
            out.point("after-send-accept");
        }
    }

    /** True while queued requests wait for the linger (see {@link #proposeQueued}); the tick ends it anyway. */
    boolean lingering() {
        return lingerFor > 0 && now == lingerTick && role == Role.LEADER && proposals.isEmpty()
                && !queue.isEmpty() && queue.size() < lingerFor;
    }

    /** The runtime's linger is over: the queued requests go now. */
    void endLinger(Output out) {
        lingerFor = 0;
        proposeQueued(out);
    }

    void onAccepted(String from, PaxosMsg.Accepted a, Output out) {
        if (role != Role.LEADER || !a.ballot().equals(ballot)) {
            return;
        }
        int answered = 0;
        for (long slot : a.slots()) {
            Proposal p = proposals.get(slot);
            if (p != null && p.acks.add(from) && p.acks.size() >= cfg.majority()) {
                proposals.remove(slot);
                out.point("before-send-commit");
                decide(slot, p, out);
                answered += p.value.requests().size();
            }
        }
        if (answered > 0 && proposals.isEmpty()) {
            lingerFor = queue.size() + answered;
            lingerTick = now;
        }
    }

    /**
     * Tells every node that {@code slot} is decided. A node that accepted the proposal already holds
     * the value (any value it accepted there since, at a higher ballot, is the same one: that is
     * Paxos), so it hears only the slot; the others get the value.
     */
    private void decide(long slot, Proposal p, Output out) {
        PaxosMsg.Decide full = new PaxosMsg.Decide(slot, p.value);
        PaxosMsg.Decide bare = new PaxosMsg.Decide(slot, null);
        for (String n : cfg.nodes()) {
            net.send(n, n.equals(me) || !p.acks.contains(n) ? full : bare, out);
        }
    }

    /** A decided value: its requests need no more proposing. */
    void onDecided(Value v) {
        for (Request r : v.requests()) {
            queued.remove(new Name(r));
        }
    }

    /**
     * The replica learned slots decided without this leader's Decide (a catch-up from an acceptor that
     * had checkpointed them away, so it will never accept them again): stop proposing those slots, or
     * they would hold their place in the window for ever. Their requests may be proposed again when
     * their clients retry; the replica answers those that were executed.
     */
    void dropDecided(Output out) {
        var it = proposals.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (replica.knowsDecided(e.getKey())) {
                e.getValue().value.requests().forEach(r -> queued.remove(new Name(r)));
                it.remove();
            }
        }
        nextSlot = Math.max(nextSlot, replica.slotOut());
        proposeQueued(out);
    }

    private void heartbeat(Output out) {
        dropDecided(out); // a slot learned decided some other way needs no more proposing
        lastSent = now;
        for (String n : cfg.nodes()) {
            if (!n.equals(me)) {
                net.send(n, new PaxosMsg.Heartbeat(ballot, replica.slotOut()), out);
            }
        }
        for (var e : proposals.entrySet()) {
            Proposal p = e.getValue();
            if (now - p.sentAt >= cfg.retransmitTicks()) {
                p.sentAt = now;
                PaxosMsg.Accept again = new PaxosMsg.Accept(ballot, List.of(new PValue(ballot, e.getKey(), p.value)));
                for (String n : cfg.nodes()) {
                    if (!p.acks.contains(n)) {
                        net.send(n, again, out);
                    }
                }
            }
        }
    }
}
