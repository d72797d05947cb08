package synod.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import synod.core.Envelope;
import synod.core.Message;
import synod.core.Output;
import synod.paxos.PaxosMsg;

/**
 * The faulty runtime the Paxos simulations share: real {@link synod.paxos.PaxosNode} cores in {@link PaxosHost}s
 * on a {@link LossyNetwork}, a partition (one island of nodes cut off from the rest), crashes that
 * cut a step ({@link PaxosHost.Crash}) or hit at a protocol point a step names, restarts, and the
 * trace of the last events. The simulations decide which faults happen when; this class plays them
 * by the runtime's rules and hands every step's {@link Output} whose records reached the disk to an
 * {@link Observer}, so the truth sees what a step computed whether or not its sends get out.
 *
 * <p>Invariant: everything follows from the one seeded {@link Random}, in the order the caller asks:
 * no clock, no hash order.
 */
final class SimCluster {
    private static final boolean TRACE = System.getProperty("sim.trace") != null;
    private static final int TRACE_EVENTS = 40;

    /** What the simulation checks and whom it plays besides the nodes. */
    interface Observer {
        /** What a node's step computed, once its records are durable, whether or not a crash then keeps its sends in. */
        void observe(PaxosHost n, Output out);

        /** A packet for a client (anything that is not a node). */
        void toClient(LossyNetwork.Packet p);
    }

    /** One event of the trace; formatted only when a failure prints it, as it would cost every event. */
    private record Traced(long index, long tick, String what, Object detail) {
        @Override
        public String toString() {
            return "#" + index + " t=" + tick + " " + what + (detail == null ? "" : " " + detail);
        }
    }

    final Random random;
    final LossyNetwork net;
    private final TreeMap<String, PaxosHost> nodes = new TreeMap<>();
    private final TreeSet<String> clients = new TreeSet<>();
    private final Observer observer;
    private final double stepCrash;
    private final double pointCrash;
    private final double txnPointCrash;
    private final ArrayDeque<Traced> trace = new ArrayDeque<>();
    /** Nodes cut off from the others (and they from it) until {@code healAt}; empty when none. */
    private TreeSet<String> island = new TreeSet<>();
    private long healAt;
    private long now = 0;
    private long events = 0;
    /** While true, steps may crash; the simulation turns it off once the faults stop. */
    private boolean faulty = true;
    private long crashes, partitions, installs, parts;
    private final TreeMap<String, Long> pointCrashes = new TreeMap<>();

    /**
     * {@code stepCrash}: the chance that a step is cut by a crash; {@code pointCrash}: that a step
     * crashes at one of the protocol points it names; {@code txnPointCrash}: the same for a step naming
     * a two-phase-commit point ("2pc-..."), which are rarer and so get their own, higher, chance.
     */
    SimCluster(Random random, LossyNetwork net, double stepCrash, double pointCrash, double txnPointCrash,
               Observer observer) {
        this.random = random;
        this.net = net;
        this.stepCrash = stepCrash;
        this.pointCrash = pointCrash;
        this.txnPointCrash = txnPointCrash;
        this.observer = observer;
    }

    void add(PaxosHost n) {
        nodes.put(n.id, n);
    }

    void addClient(String id) {
        clients.add(id);
    }

    TreeMap<String, PaxosHost> nodes() {
        return nodes;
    }

    PaxosHost node(String id) {
        return nodes.get(id);
    }

    long now() {
        return now;
    }

    /** The tick about to run. */
    void at(long tick) {
        now = tick;
    }

    void faulty(boolean on) {
        faulty = on;
    }

    long events() {
        return events;
    }

    long crashes() {
        return crashes;
    }

    /** Crashes at a protocol point, per point. */
    TreeMap<String, Long> pointCrashes() {
        return pointCrashes;
    }

    long partitions() {
        return partitions;
    }

    long installs() {
        return installs;
    }

    /** Messages delivered that were one part of several (a promise, or a checkpoint, too big for one frame). */
    long parts() {
        return parts;
    }

    long tornWrites() {
        return nodes.values().stream().mapToLong(PaxosHost::tornWrites).sum();
    }

    // ---- the trace ----

    void event(String what) {
        event(what, null);
    }

    void event(String what, Object detail) {
        events++;
        trace.addLast(new Traced(events, now, what, detail));
        if (TRACE) {
            System.out.println(trace.peekLast());
        }
        if (trace.size() > TRACE_EVENTS) {
            trace.removeFirst();
        }
    }

    /** The last events, oldest first, to read beside a failure. */
    String recentEvents() {
        StringBuilder sb = new StringBuilder();
        trace.forEach(t -> sb.append("  ").append(t).append('\n'));
        return sb.toString();
    }

    // ---- faults ----

    /** Crashes {@code n} for a while (5 to 64 ticks). */
    void crash(PaxosHost n) {
        crash(n, now + 5 + random.nextInt(60));
    }

    void crash(PaxosHost n, long downUntil) {
        crashes++;
        n.crash(downUntil);
    }

    /** Cuts {@code island} off from every other node until {@code healAt}. */
    void cutOff(TreeSet<String> island, long healAt) {
        this.island = island;
        this.healAt = healAt;
        partitions++;
        event("partition: cut off until t=" + healAt, island);
    }

    boolean partitioned() {
        return !island.isEmpty();
    }

    /** Heals the partition if its time came. */
    void healPartitionIfDue() {
        if (!island.isEmpty() && now >= healAt) {
            event("partition heals", island);
            island = new TreeSet<>();
        }
    }

    /** The faults stop: no partition any more. */
    void healAll() {
        island = new TreeSet<>();
    }

    private boolean cut(String from, String to) {
        return !island.isEmpty() && nodes.containsKey(from) && nodes.containsKey(to)
                && island.contains(from) != island.contains(to);
    }

    /** A live node among {@code ids} that believes it leads (the one with the highest ballot if several do), or null. */
    String leaderAmong(Collection<String> ids) {
        String leader = null;
        for (String id : ids) {
            PaxosHost n = nodes.get(id);
            if (n.up() && n.core().isLeader()
                    && (leader == null || n.core().ballot().above(nodes.get(leader).core().ballot()))) {
                leader = id;
            }
        }
        return leader;
    }

    // ---- steps ----

    /** A client sends {@code m} to a node. */
    void clientSend(String from, String to, PaxosMsg m) {
        event(from + " sends " + to, m);
        net.send(now, from, to, m);
    }

    /** Delivers every packet due now: to its node (unless down or cut off) or its client. */
    void deliverDue() {
        for (LossyNetwork.Packet p : net.due(now)) {
            PaxosHost n = nodes.get(p.to());
            if (n == null) {
                event(p.from() + " -> " + p.to(), p.message());
                observer.toClient(p);
                continue;
            }
            if (!n.up() || cut(p.from(), p.to())) {
                continue; // lost: the node is down or out of reach
            }
            event(p.from() + " -> " + p.to(), p.message());
            if (p.message() instanceof PaxosMsg.CatchUpReply r && r.checkpoint() != null
                    || p.message() instanceof PaxosMsg.CheckpointPart c && c.offset() == 0) {
                installs++;
            }
            if (p.message() instanceof PaxosMsg.CheckpointPart
                    || p.message() instanceof PaxosMsg.Promise pr && pr.parts() > 1) {
                parts++;
            }
            step(n, p.from(), p.message());
            if (random.nextBoolean()) {
                endOfRound(n); // else the round goes on: the next delivery or the tick joins it
            }
        }
    }

    /** Ticks every live node, in a seeded order, each tick ending its round. */
    void tickNodes() {
        List<String> order = new ArrayList<>(nodes.keySet());
        Collections.shuffle(order, random);
        for (String id : order) {
            PaxosHost n = nodes.get(id);
            if (n.up()) {
                event("tick", id);
                step(n, null, null);
                endOfRound(n);
            }
        }
    }

    /** The runtime's round ended at {@code n}: the leader proposes what the round queued. */
    private void endOfRound(PaxosHost n) {
        if (n.up()) {
            step(n, PaxosHost.END_OF_ROUND, null);
        }
    }

    /** One step of node {@code n} (a tick when {@code m} is null), played by the runtime's rules, maybe cut by a crash. */
    private void step(PaxosHost n, String from, Message m) {
        PaxosHost.Crash crash = faulty && random.nextDouble() < stepCrash
                ? PaxosHost.Crash.values()[1 + random.nextInt(4)] : PaxosHost.Crash.NONE;
        if (crash == PaxosHost.Crash.LOST) {
            event("crash before its step took effect", n.id);
            crash(n);
            return;
        }
        Output out = n.step(from, m);
        if (faulty && crash == PaxosHost.Crash.NONE) {
            crash = pointCrash(n, out);
        }
        List<Envelope> leaving = n.complete(out, crash, random);
        if (crash != PaxosHost.Crash.LOST && crash != PaxosHost.Crash.TORN) {
            // Only now: with a group of one, the step's own acceptance decides, and the truth learns of it
            // as it reaches the disk. A step cut before its force completed sends nothing that rests on it.
            observer.observe(n, out);
        }
        for (Envelope e : leaving) {
            Sim.expect(nodes.containsKey(e.to()) || clients.contains(e.to()), "%s sent to a stranger: %s", n.id, e);
            net.send(now, n.id, e.to(), e.message());
        }
        if (crash != PaxosHost.Crash.NONE) {
            event("crash in its step: " + crash, n.id);
            crash(n);
        }
    }

    /**
     * Maybe a crash at one of the points {@code out} names: "after-send..." lets the step's messages
     * out first, "after-receive..." loses the whole step, the others ("...persist...", "before-send...")
     * keep its records and lose its messages. A 2PC point names the same moments under a "2pc-" prefix.
     */
    private PaxosHost.Crash pointCrash(PaxosHost n, Output out) {
        List<String> txn = out.points().stream().filter(p -> p.startsWith("2pc-")).toList();
        String point = null;
        if (!txn.isEmpty() && random.nextDouble() < txnPointCrash) {
            point = txn.get(random.nextInt(txn.size()));
        } else if (!out.points().isEmpty() && random.nextDouble() < pointCrash) {
            point = out.points().get(random.nextInt(out.points().size()));
        }
        if (point == null) {
            return PaxosHost.Crash.NONE;
        }
        pointCrashes.merge(point, 1L, Long::sum);
        event("crash at " + point, n.id);
        String bare = point.startsWith("2pc-") ? point.substring(4) : point;
        return bare.startsWith("after-send") ? PaxosHost.Crash.AFTER_SEND
                : bare.startsWith("after-receive") ? PaxosHost.Crash.LOST : PaxosHost.Crash.PERSISTED;
    }
}
