package synod.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import synod.app.LockTable;
import synod.core.Check;
import synod.core.Envelope;
import synod.core.Message;
import synod.core.Output;
import synod.paxos.Ballot;
import synod.paxos.Durable;
import synod.paxos.PValue;
import synod.paxos.PaxosConfig;
import synod.paxos.PaxosMsg;
import synod.paxos.PaxosNode;

/**
 * Layer 3: a seeded world for one Multi-Paxos group of 3 or 5 real {@link PaxosNode} cores, each with
 * a {@link LockTable}, lock clients ({@link SimClient}), a {@link LossyNetwork} (drop, duplicate,
 * reorder) and faults: partitions, crashes and restarts. Everything follows from the seed: one
 * {@link Random}, TreeMaps only, ticks instead of a clock.
 *
 * <p>It plays the runtime's contract: a step's records reach the node's log (a rewrite replaces it,
 * atomically) before any of its sends leave, and a restarted node is a new core that recovers from
 * its log (through JSON, as from the disk). A crash loses memory and whatever had not reached the
 * disk: a step cut before its force completed (nothing of it, or only a prefix of its records, the
 * last one torn) or between its force and its sends (records kept, sends lost); a crash can also hit
 * at a protocol point a step names ({@link Output#points()}).
 *
 * <p>Checked after every event, by {@link PaxosTruth} and {@link SimClient}: one value chosen per
 * slot (from durable acceptances), every Decide, catch-up and applied slot is the chosen one,
 * replicas equal the reference execution of the chosen prefix, locks have one holder and increasing
 * tokens, requests execute once and answer what the chosen order gives; and a restarted acceptor
 * still has every promise and acceptance it had told anyone about. Liveness: once faults stop, one
 * leader emerges, every replica catches up and every request completes within {@link #LIVE_TICKS_MAX}.
 */
final class PaxosSim {
    static final int LIVE_TICKS_MAX = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TRACE_EVENTS = 40;

    /** What one run did, for the test's summary, its coverage guard and the determinism test. */
    record Stats(int nodes, long events, long ticks, long chosen, long executed, long crashes, long tornCrashes,
                 long pointCrashes, long partitions, long dropped, long duplicated, long installs, long completed,
                 long retries, long waits, long notHolders, long notices, long liveTicks, long fingerprint) {}

    private enum Crash { NONE, LOST, TORN, PERSISTED, AFTER_SEND }

    private static final class Node {
        final String id;
        PaxosNode core;
        List<Durable> disk = new ArrayList<>();
        long slotOut;
        long downUntil;
        /** The highest ballot this node's Promise or Accepted messages told anyone it promised. */
        Ballot told = Ballot.ZERO;
        /** Per slot, the highest ballot at which this node told a leader it accepted. */
        final TreeMap<Long, Ballot> acked = new TreeMap<>();

        Node(String id) {
            this.id = id;
        }
    }

    private final long seed;
    private final Random random;
    private final PaxosConfig cfg;
    private final TreeMap<String, Node> nodes = new TreeMap<>();
    private final TreeMap<String, SimClient> clients = new TreeMap<>();
    private final LossyNetwork net;
    private final PaxosTruth truth;
    private final int faultTicks;
    private final double dropRate;
    private final double dupRate;
    private final int delayTicksMax;
    private final double crashPerTick;
    private final double stepCrash;
    private final double pointCrash;
    private final double issuePerTick;
    /** How many nodes stay down once the faults stop (at most a minority: the rest must still decide). */
    private final int downAfterFaults;
    /** Nodes cut off from the others (and they from it) until {@code healAt}; empty when none. */
    private TreeSet<String> island = new TreeSet<>();
    private long healAt;
    private long now = 0;
    private long events = 0;
    /** One event of the trace; formatted only when a failure prints it, as it would cost every event. */
    private record Traced(long index, long tick, String what, Object detail) {
        @Override
        public String toString() {
            return "#" + index + " t=" + tick + " " + what + (detail == null ? "" : " " + detail);
        }
    }

    private final ArrayDeque<Traced> trace = new ArrayDeque<>();
    private long crashes, tornCrashes, pointCrashes, partitions, installs, liveTicks = -1;

    PaxosSim(long seed) {
        this.seed = seed;
        random = new Random(mix(seed));
        int n = seed % 2 == 0 ? 5 : 3;
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ids.add("n" + i);
        }
        cfg = new PaxosConfig(ids, 3, 15, 3, 48, 6, 1 + random.nextInt(6), 1 + random.nextInt(4),
                2 + random.nextInt(10), 1 + random.nextInt(6));
        faultTicks = 300 + random.nextInt(500);
        dropRate = random.nextDouble() * 0.2;
        dupRate = random.nextDouble() * 0.1;
        delayTicksMax = 1 + random.nextInt(10);
        crashPerTick = 0.001 + random.nextDouble() * 0.005;
        stepCrash = random.nextDouble() * 0.004;
        pointCrash = random.nextDouble() * 0.01;
        issuePerTick = 0.05 + random.nextDouble() * 0.4;
        downAfterFaults = random.nextInt(3) == 0 ? 1 + random.nextInt(cfg.majority() - 1) : 0;
        net = new LossyNetwork(random, dropRate, dupRate, delayTicksMax);
        List<String> clientIds = new ArrayList<>();
        for (int i = 1, k = 2 + random.nextInt(4); i <= k; i++) {
            clientIds.add("c" + i);
        }
        List<String> locks = new ArrayList<>();
        for (int i = 0, k = 1 + random.nextInt(3); i < k; i++) {
            locks.add("L" + i);
        }
        truth = new PaxosTruth(cfg.majority(), clientIds);
        for (String c : clientIds) {
            clients.put(c, new SimClient(c, random, ids, locks, truth, 20 + random.nextInt(30)));
        }
        for (String id : ids) {
            Node node = new Node(id);
            nodes.put(id, node);
            start(node);
        }
    }

    /** Seeds 1, 2, 3... would start java.util.Random on correlated first draws: spread them (SplitMix64). */
    private static long mix(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long events() {
        return events;
    }

    long now() {
        return now;
    }

    /** The last events, oldest first, to read beside a failure. */
    String recentEvents() {
        StringBuilder sb = new StringBuilder();
        trace.forEach(t -> sb.append("  ").append(t).append('\n'));
        return sb.toString();
    }

    /** The world now: nodes, clients, grants. */
    String describe() {
        StringBuilder sb = new StringBuilder(String.format("seed %d, %d nodes, %s%n", seed, nodes.size(), cfg));
        for (Node n : nodes.values()) {
            sb.append(String.format("  %s %s%n", n.id, n.core == null ? "down until " + n.downUntil
                    : (n.core.isLeader() ? "LEADER " : "follower of " + n.core.leaderId() + " ") + n.core.ballot()
                    + " slotOut " + n.core.replica().slotOut() + " promised " + n.core.acceptor().promised()));
        }
        clients.values().forEach(c -> sb.append("  ").append(c).append('\n'));
        sb.append("  chosen contiguously below ").append(truth.chosenBelow()).append(", grants ").append(truth.grantsSummary());
        return sb.toString();
    }

    private void event(String what) {
        event(what, null);
    }

    private void event(String what, Object detail) {
        events++;
        trace.addLast(new Traced(events, now, what, detail));
        if (trace.size() > TRACE_EVENTS) {
            trace.removeFirst();
        }
    }

    /** Runs the fault phase, then heals everything and waits for the group to finish all the work. */
    Stats run() {
        boolean probed = false;
        long end = faultTicks + LIVE_TICKS_MAX;
        for (now = 1; now <= end; now++) {
            if (now <= faultTicks) {
                injectFaults();
            } else if (now == faultTicks + 1) {
                heal();
            }
            for (SimClient c : clients.values()) {
                c.act(now, now <= faultTicks ? random.nextDouble() < issuePerTick : false, this::clientSend);
            }
            for (LossyNetwork.Packet p : net.due(now)) {
                deliver(p);
            }
            List<String> order = new ArrayList<>(nodes.keySet());
            Collections.shuffle(order, random);
            for (String id : order) {
                Node n = nodes.get(id);
                if (n.core != null) {
                    event("tick " + id);
                    step(n, null, null);
                }
            }
            if (now > faultTicks && settled()) {
                if (probed) {
                    liveTicks = now - faultTicks;
                    break;
                }
                // The group is idle and agreed; one more request from every client proves it still decides.
                probed = true;
                for (SimClient c : clients.values()) {
                    c.act(now, true, this::clientSend);
                }
            }
        }
        if (liveTicks < 0) {
            throw new Sim.SimFailure("not live: " + LIVE_TICKS_MAX + " ticks after the faults stopped the group has not"
                    + " settled (one leader known to all, replicas caught up, every request answered)\n" + describe());
        }
        long completed = 0, retries = 0, waits = 0, notHolders = 0, notices = 0;
        for (SimClient c : clients.values()) {
            completed += c.completed;
            retries += c.retries;
            waits += c.waits;
            notHolders += c.notHolders;
            notices += c.notices;
        }
        return new Stats(nodes.size(), events, now, truth.chosenCount(), truth.executedRequests(), crashes, tornCrashes,
                pointCrashes, partitions, net.dropped(), net.duplicated(), installs, completed, retries, waits,
                notHolders, notices, liveTicks, truth.fingerprint() * 31 + events);
    }

    private void clientSend(String from, String to, PaxosMsg m) {
        event(from + " sends " + to, m);
        net.send(now, from, to, m);
    }

    // ---- faults ----

    private void injectFaults() {
        for (Node n : nodes.values()) {
            if (n.core != null && random.nextDouble() < crashPerTick) {
                event("crash " + n.id + " between steps");
                crash(n);
            } else if (n.core == null && now >= n.downUntil) {
                event("restart " + n.id);
                start(n);
            }
        }
        String leader = leader();
        if (leader != null && random.nextDouble() < crashPerTick) {
            event("crash the leader " + leader);
            crash(nodes.get(leader));
        }
        if (!island.isEmpty() && now >= healAt) {
            event("partition of " + island + " heals");
            island = new TreeSet<>();
        } else if (island.isEmpty() && random.nextDouble() < 0.01) {
            List<String> ids = new ArrayList<>(nodes.keySet());
            Collections.shuffle(ids, random);
            island = new TreeSet<>(ids.subList(0, 1 + random.nextInt(ids.size() - 1)));
            if (leader != null && random.nextBoolean()) {
                island = new TreeSet<>(List.of(leader)); // the leader alone, still believing it leads
            }
            healAt = now + 10 + random.nextInt(100);
            partitions++;
            event("partition: " + island + " cut off until t=" + healAt);
        }
    }

    private void heal() {
        List<String> ids = new ArrayList<>(nodes.keySet());
        Collections.shuffle(ids, random);
        TreeSet<String> staysDown = new TreeSet<>(ids.subList(0, downAfterFaults));
        event("faults stop: the network heals, every node is up but " + staysDown);
        island = new TreeSet<>();
        net.setFaults(0, 0, delayTicksMax);
        for (Node n : nodes.values()) {
            if (staysDown.contains(n.id)) {
                if (n.core != null) {
                    crash(n);
                }
                n.downUntil = Long.MAX_VALUE;
            } else if (n.core == null) {
                start(n);
            }
        }
    }

    private boolean cut(String from, String to) {
        return !island.isEmpty() && nodes.containsKey(from) && nodes.containsKey(to)
                && island.contains(from) != island.contains(to);
    }

    private void crash(Node n) {
        crashes++;
        n.core = null;
        n.downUntil = now + 5 + random.nextInt(60);
    }

    /** Builds the node's core anew from its log, read back as from the disk. */
    private void start(Node n) {
        n.core = new PaxosNode(cfg, n.id, new LockTable(), new Random(random.nextLong()));
        n.core.recover(readBack(n.disk));
        checkDurable(n);
        n.slotOut = n.core.replica().slotOut();
        truth.checkReplica(n.id, n.core.replica(), n.slotOut);
    }

    private static List<Durable> readBack(List<Durable> disk) {
        List<Durable> back = new ArrayList<>(disk.size());
        try {
            for (Durable d : disk) {
                back.add(JSON.readValue(JSON.writerFor(Durable.class).writeValueAsString(d), Durable.class));
            }
        } catch (JsonProcessingException e) {
            throw new Sim.SimFailure("a log record does not survive JSON: " + e);
        }
        return back;
    }

    /** A restarted acceptor must still hold every promise and acceptance its messages told of. */
    private void checkDurable(Node n) {
        Ballot promised = n.core.acceptor().promised();
        Sim.expect(promised.atLeast(n.told), "%s recovered promising %s, but had told others it promised %s",
                n.id, promised, n.told);
        long forgotten = n.core.acceptor().forgottenBelow();
        n.acked.forEach((slot, b) -> {
            PValue pv = n.core.acceptor().accepted(slot);
            Sim.expect(slot < forgotten || (pv != null && pv.ballot().atLeast(b)),
                    "%s recovered with %s in slot %d, but had told a leader it accepted it at %s", n.id, pv, slot, b);
        });
    }

    // ---- steps ----

    private void deliver(LossyNetwork.Packet p) {
        SimClient client = clients.get(p.to());
        if (client != null) {
            event(p.from() + " -> " + p.to(), p.message());
            if (p.message() instanceof PaxosMsg.ClientReply r) {
                client.onReply(r);
            } else if (p.message() instanceof PaxosMsg.Notice n) {
                client.onNotice(n);
            } else {
                throw new Sim.SimFailure(p.from() + " sent client " + p.to() + " " + p.message());
            }
            return;
        }
        Node n = nodes.get(p.to());
        if (n.core == null || cut(p.from(), p.to())) {
            return; // lost: the node is down or out of reach
        }
        event(p.from() + " -> " + p.to(), p.message());
        if (p.message() instanceof PaxosMsg.CatchUpReply r && r.checkpoint() != null) {
            installs++;
        }
        step(n, p.from(), p.message());
    }

    /** One step of node {@code n} (a tick when {@code m} is null), played by the runtime's rules, maybe cut by a crash. */
    private void step(Node n, String from, Message m) {
        boolean faulty = now <= faultTicks;
        Crash crash = faulty && random.nextDouble() < stepCrash ? Crash.values()[1 + random.nextInt(4)] : Crash.NONE;
        if (crash == Crash.LOST) {
            event("crash " + n.id + " before its step took effect");
            crash(n);
            return;
        }
        Output out;
        try {
            out = m == null ? n.core.tick() : n.core.step(from, m);
        } catch (Check.InvariantViolation e) {
            throw new Sim.SimFailure(n.id + " broke an invariant: " + e.getMessage());
        }
        if (faulty && crash == Crash.NONE && !out.points().isEmpty() && random.nextDouble() < pointCrash) {
            String point = out.points().get(random.nextInt(out.points().size()));
            crash = point.startsWith("after-send") ? Crash.AFTER_SEND
                    : point.startsWith("after-receive") ? Crash.LOST : Crash.PERSISTED;
            pointCrashes++;
            event("crash " + n.id + " at " + point);
        }
        observe(n, out);
        persist(n, out, crash);
        if (crash == Crash.NONE || crash == Crash.AFTER_SEND) {
            send(n, out);
            long out0 = n.slotOut;
            n.slotOut = n.core.replica().slotOut();
            if (n.slotOut != out0) {
                Sim.expect(n.slotOut > out0, "%s's slotOut went back from %d to %d", n.id, out0, n.slotOut);
                truth.checkReplica(n.id, n.core.replica(), out0);
            }
        }
        if (crash != Crash.NONE) {
            if (crash != Crash.AFTER_SEND) {
                event("crash " + n.id + " in its step: " + crash);
            }
            crash(n);
        }
    }

    /** What a step computed must agree with the truth, whether or not its sends get out. */
    private void observe(Node n, Output out) {
        for (Envelope e : out.sends()) {
            Message m = e.message();
            if (m instanceof PaxosMsg.Decide d) {
                truth.claimed(d.slot(), d.value(), n.id + "'s Decide");
            } else if (m instanceof PaxosMsg.CatchUpReply r) {
                for (PValue pv : r.decided()) {
                    truth.claimed(pv.slot(), pv.value(), n.id + "'s catch-up");
                }
            } else if (m instanceof PaxosMsg.ClientReply r) {
                Sim.expect(r.result().equals(truth.result(r.client(), r.seq())),
                        "%s answers %s's request %d with %s, but the chosen order gives %s",
                        n.id, r.client(), r.seq(), r.result(), truth.result(r.client(), r.seq()));
            }
        }
    }

    /** The log as the step left it: all records, a torn prefix of them, or (a rewrite being atomic) old or new. */
    private void persist(Node n, Output out, Crash crash) {
        List<Object> records = out.records();
        int keep = records.size();
        if (crash == Crash.LOST) {
            keep = 0;
        } else if (crash == Crash.TORN && keep > 0) {
            keep = out.rewriting() ? (random.nextBoolean() ? keep : 0) : random.nextInt(keep);
            tornCrashes++;
        }
        if (keep == 0) {
            return;
        }
        if (out.rewriting()) {
            n.disk = new ArrayList<>();
        }
        for (Object r : records.subList(0, keep)) {
            Sim.expect(r instanceof Durable, "%s persisted %s, which is no Durable record", n.id, r);
            n.disk.add((Durable) r);
            if (r instanceof Durable.Accepted a) {
                truth.accepted(n.id, a.pvalue());
            }
        }
    }

    private void send(Node n, Output out) {
        for (Envelope e : out.sends()) {
            Message m = e.message();
            if (m instanceof PaxosMsg.Promise p && p.ballot().above(n.told)) {
                n.told = p.ballot();
            } else if (m instanceof PaxosMsg.Accepted a) {
                if (a.ballot().above(n.told)) {
                    n.told = a.ballot();
                }
                a.slots().forEach(s -> n.acked.merge(s, a.ballot(), (x, y) -> x.atLeast(y) ? x : y));
            }
            if (!nodes.containsKey(e.to()) && !clients.containsKey(e.to())) {
                throw new Sim.SimFailure(n.id + " sent to a stranger: " + e);
            }
            net.send(now, n.id, e.to(), m);
        }
    }

    /** A live node that believes it leads (the one with the highest ballot if several do), or null. */
    private String leader() {
        String leader = null;
        for (Node n : nodes.values()) {
            if (n.core != null && n.core.isLeader()
                    && (leader == null || n.core.ballot().above(nodes.get(leader).core.ballot()))) {
                leader = n.id;
            }
        }
        return leader;
    }

    /** After the faults: one leader, known to every live node; replicas caught up with it; no request outstanding. */
    private boolean settled() {
        String leader = null;
        for (Node n : nodes.values()) {
            if (n.core != null && n.core.isLeader()) {
                if (leader != null) {
                    return false;
                }
                leader = n.id;
            }
        }
        if (leader == null) {
            return false;
        }
        long slotOut = nodes.get(leader).core.replica().slotOut();
        for (Node n : nodes.values()) {
            if (n.core != null && ((!n.id.equals(leader) && !leader.equals(n.core.leaderId()))
                    || n.core.replica().slotOut() != slotOut)) {
                return false;
            }
        }
        for (SimClient c : clients.values()) {
            if (!c.idle()) {
                return false;
            }
        }
        return true;
    }
}
