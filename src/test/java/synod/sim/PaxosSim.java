package synod.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import synod.app.LockTable;
import synod.app.Result;
import synod.core.Envelope;
import synod.core.Message;
import synod.core.Output;
import synod.paxos.PValue;
import synod.paxos.PaxosConfig;
import synod.paxos.PaxosMsg;
import synod.paxos.PaxosNode;

/**
 * Layer 3: a seeded world for one Multi-Paxos group of 3 or 5 real {@link PaxosNode} cores, each with
 * a {@link LockTable}, lock clients ({@link SimClient}), a {@link LossyNetwork} (drop, duplicate,
 * reorder, now and then very late) and faults: partitions (often the leader alone), crashes (often
 * of the leader) and restarts. Everything follows from the seed: one
 * {@link Random}, TreeMaps only, ticks instead of a clock.
 *
 * <p>Each node runs in a {@link PaxosHost}, which plays the runtime's contract: a step's records
 * reach the node's log (a rewrite replaces it, atomically) before any of its sends leave, and a
 * restarted node is a new core that recovers from its log. A crash loses memory and whatever had not
 * reached the disk: a step cut before its force completed (nothing of it, or only a prefix of its
 * records, the last one torn) or between its force and its sends (records kept, sends lost); a crash
 * can also hit at a protocol point a step names ({@link Output#points()}).
 *
 * <p>Checked after every event, by {@link PaxosTruth} and {@link SimClient}: one value chosen per
 * slot (from durable acceptances), every Decide, catch-up and applied slot is the chosen one,
 * replicas equal the reference execution of the chosen prefix, locks have one holder and increasing
 * tokens, requests execute once and answer what the chosen order gives; and a restarted acceptor
 * still has every promise and acceptance it had told anyone about. Liveness: once the faults stop
 * (the network heals; every node restarts, but in a third of the seeds a minority stays down for
 * good), within {@link #LIVE_TICKS_MAX} ticks one leader is known to every live node, every live
 * replica catches up, every outstanding request completes, and then one more from every client.
 */
final class PaxosSim {
    static final int LIVE_TICKS_MAX = 1000;
    private static final boolean TRACE = System.getProperty("sim.trace") != null;
    private static final int TRACE_EVENTS = 40;

    /** What one run did, for the test's summary, its coverage guard and the determinism test. */
    record Stats(int nodes, long events, long ticks, long chosen, long executed, long crashes, long tornCrashes,
                 long pointCrashes, long partitions, long dropped, long duplicated, long late, long installs,
                 long completed, long retries, long waits, long notHolders, long notices, long liveTicks,
                 long parts, long fingerprint) {}

    private final long seed;
    private final Random random;
    private final PaxosConfig cfg;
    private final TreeMap<String, PaxosHost> nodes = new TreeMap<>();
    private final TreeMap<String, SimClient> clients = new TreeMap<>();
    private final LossyNetwork net;
    private final PaxosTruth truth;
    private final int faultTicks;
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
    private long crashes, pointCrashes, partitions, installs, parts, liveTicks = -1;

    PaxosSim(long seed) {
        this(seed, PaxosConfig.FRAME_BYTES_DEFAULT);
    }

    /** With frames of at most {@code frameBytesMax}: small ones make promises, views and checkpoints go in parts. */
    PaxosSim(long seed, int frameBytesMax) {
        this.seed = seed;
        random = new Random(mix(seed));
        int n = seed % 2 == 0 ? 5 : 3;
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ids.add("n" + i);
        }
        cfg = new PaxosConfig(ids, 3, 15, 3, 48, 6, 1 + random.nextInt(6), 1 + random.nextInt(4),
                2 + random.nextInt(10), 1 + random.nextInt(6), frameBytesMax);
        faultTicks = 300 + random.nextInt(500);
        double dropRate = random.nextDouble() * 0.2;
        double dupRate = random.nextDouble() * 0.1;
        delayTicksMax = 1 + random.nextInt(10);
        crashPerTick = 0.001 + random.nextDouble() * 0.005;
        stepCrash = random.nextDouble() * 0.008;
        pointCrash = random.nextDouble() * 0.01;
        issuePerTick = 0.05 + random.nextDouble() * 0.4;
        downAfterFaults = random.nextInt(3) == 0 ? 1 + random.nextInt(cfg.majority() - 1) : 0;
        net = new LossyNetwork(random, dropRate, dupRate, delayTicksMax, random.nextDouble() * 0.1);
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
            PaxosHost node = new PaxosHost(id, cfg, truth);
            nodes.put(id, node);
            node.start(random.nextLong());
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
        for (PaxosHost n : nodes.values()) {
            PaxosNode c = n.core();
            sb.append(String.format("  %s %s%n", n.id, c == null ? "down until " + n.downUntil()
                    : (c.isLeader() ? "LEADER " : "follower of " + c.leaderId() + " ") + c.ballot()
                    + " slotOut " + c.replica().slotOut() + " promised " + c.acceptor().promised()));
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
        if (TRACE) {
            System.out.println(trace.peekLast());
        }
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
                PaxosHost n = nodes.get(id);
                if (n.up()) {
                    event("tick", id);
                    step(n, null, null);
                    endOfRound(n);
                }
            }
            if (TRACE && now > faultTicks && now % 50 == 0) {
                System.out.println("t=" + now + ": " + describe());
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
        long completed = 0, retries = 0, waits = 0, notHolders = 0, notices = 0, tornCrashes = 0;
        for (PaxosHost n : nodes.values()) {
            tornCrashes += n.tornWrites();
        }
        for (SimClient c : clients.values()) {
            completed += c.completed;
            retries += c.retries;
            waits += c.waits;
            notHolders += c.notHolders;
            notices += c.notices;
        }
        return new Stats(nodes.size(), events, now, truth.chosenCount(), truth.executedRequests(), crashes, tornCrashes,
                pointCrashes, partitions, net.dropped(), net.duplicated(), net.late(), installs, completed, retries, waits,
                notHolders, notices, liveTicks, parts, truth.fingerprint() * 31 + events);
    }

    private void clientSend(String from, String to, PaxosMsg m) {
        event(from + " sends " + to, m);
        net.send(now, from, to, m);
    }

    // ---- faults ----

    private void injectFaults() {
        for (PaxosHost n : nodes.values()) {
            if (n.up() && random.nextDouble() < crashPerTick) {
                event("crash between steps", n.id);
                crash(n);
            } else if (!n.up() && now >= n.downUntil()) {
                event("restart", n.id);
                n.start(random.nextLong());
            }
        }
        String leader = leader();
        if (leader != null && random.nextDouble() < crashPerTick) {
            event("crash the leader", leader);
            crash(nodes.get(leader));
        }
        if (!island.isEmpty() && now >= healAt) {
            event("partition heals", island);
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
            event("partition: cut off until t=" + healAt, island);
        }
    }

    private void heal() {
        List<String> ids = new ArrayList<>(nodes.keySet());
        Collections.shuffle(ids, random);
        TreeSet<String> staysDown = new TreeSet<>(ids.subList(0, downAfterFaults));
        event("faults stop: the network heals, every node is up but", staysDown);
        island = new TreeSet<>();
        net.setFaults(0, 0, delayTicksMax, 0);
        for (PaxosHost n : nodes.values()) {
            if (staysDown.contains(n.id)) {
                n.crash(Long.MAX_VALUE);
            } else if (!n.up()) {
                n.start(random.nextLong());
            }
        }
    }

    private boolean cut(String from, String to) {
        return !island.isEmpty() && nodes.containsKey(from) && nodes.containsKey(to)
                && island.contains(from) != island.contains(to);
    }

    private void crash(PaxosHost n) {
        crashes++;
        n.crash(now + 5 + random.nextInt(60));
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
        PaxosHost n = nodes.get(p.to());
        if (!n.up() || cut(p.from(), p.to())) {
            return; // lost: the node is down or out of reach
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

    /** The runtime's round ended at {@code n}: the leader proposes what the round queued. */
    private void endOfRound(PaxosHost n) {
        if (n.up()) {
            step(n, PaxosHost.END_OF_ROUND, null);
        }
    }

    /** One step of node {@code n} (a tick when {@code m} is null), played by the runtime's rules, maybe cut by a crash. */
    private void step(PaxosHost n, String from, Message m) {
        boolean faulty = now <= faultTicks;
        PaxosHost.Crash crash = faulty && random.nextDouble() < stepCrash
                ? PaxosHost.Crash.values()[1 + random.nextInt(4)] : PaxosHost.Crash.NONE;
        if (crash == PaxosHost.Crash.LOST) {
            event("crash before its step took effect", n.id);
            crash(n);
            return;
        }
        Output out = n.step(from, m);
        if (faulty && crash == PaxosHost.Crash.NONE && !out.points().isEmpty() && random.nextDouble() < pointCrash) {
            String point = out.points().get(random.nextInt(out.points().size()));
            crash = point.startsWith("after-send") ? PaxosHost.Crash.AFTER_SEND
                    : point.startsWith("after-receive") ? PaxosHost.Crash.LOST : PaxosHost.Crash.PERSISTED;
            pointCrashes++;
            event("crash at " + point, n.id);
        }
        observe(n, out);
        for (Envelope e : n.complete(out, crash, random)) {
            Sim.expect(nodes.containsKey(e.to()) || clients.containsKey(e.to()), "%s sent to a stranger: %s", n.id, e);
            net.send(now, n.id, e.to(), e.message());
        }
        if (crash != PaxosHost.Crash.NONE) {
            event("crash in its step: " + crash, n.id);
            crash(n);
        }
    }

    /** What a step computed must agree with the truth, whether or not its sends get out. */
    private void observe(PaxosHost n, Output out) {
        for (Envelope e : out.sends()) {
            Message m = e.message();
            if (m instanceof PaxosMsg.Decide d && d.value() != null) {
                truth.claimed(d.slot(), d.value(), n.id + "'s Decide");
            } else if (m instanceof PaxosMsg.CatchUpReply r) {
                for (PValue pv : r.decided()) {
                    truth.claimed(pv.slot(), pv.value(), n.id + "'s catch-up");
                }
            } else if (m instanceof PaxosMsg.ClientReply r) {
                Sim.expect(r.result().equals(truth.result(r.client(), r.seq())),
                        "%s answers %s's request %d with %s, but the chosen order gives %s",
                        n.id, r.client(), r.seq(), r.result(), truth.result(r.client(), r.seq()));
            } else if (m instanceof PaxosMsg.Notice notice && notice.result() instanceof Result.Acquired a) {
                Sim.expect(notice.client().equals(truth.grantee(a.lock(), a.token())),
                        "%s tells %s it was granted %s with token %d, but that token went to %s",
                        n.id, notice.client(), a.lock(), a.token(), truth.grantee(a.lock(), a.token()));
            }
        }
    }

    /** A live node that believes it leads (the one with the highest ballot if several do), or null. */
    private String leader() {
        String leader = null;
        for (PaxosHost n : nodes.values()) {
            if (n.up() && n.core().isLeader()
                    && (leader == null || n.core().ballot().above(nodes.get(leader).core().ballot()))) {
                leader = n.id;
            }
        }
        return leader;
    }

    /** After the faults: one leader, known to every live node; replicas caught up with it; no request outstanding. */
    private boolean settled() {
        String leader = null;
        for (PaxosHost n : nodes.values()) {
            if (n.up() && n.core().isLeader()) {
                if (leader != null) {
                    return false;
                }
                leader = n.id;
            }
        }
        if (leader == null) {
            return false;
        }
        long slotOut = nodes.get(leader).core().replica().slotOut();
        for (PaxosHost n : nodes.values()) {
            if (n.up() && ((!n.id.equals(leader) && !leader.equals(n.core().leaderId()))
                    || n.core().replica().slotOut() != slotOut)) {
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
