package synod.sim;

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
 * <p>Each node runs in a {@link PaxosHost} of a {@link SimCluster}, which play the runtime's contract: a step's records
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
final class PaxosSim implements SimCluster.Observer {
    static final int LIVE_TICKS_MAX = 1000;
    private static final boolean TRACE = System.getProperty("sim.trace") != null;

    /** What one run did, for the test's summary, its coverage guard and the determinism test. */
    record Stats(int nodes, long events, long ticks, long chosen, long executed, long crashes, long tornCrashes,
                 long pointCrashes, long partitions, long dropped, long duplicated, long late, long installs,
                 long completed, long retries, long waits, long notHolders, long notices, long liveTicks,
                 long parts, long fingerprint) {}

    private final long seed;
    private final Random random;
    private final PaxosConfig cfg;
    private final SimCluster world;
    private final TreeMap<String, PaxosHost> nodes;
    private final TreeMap<String, SimClient> clients = new TreeMap<>();
    private final LossyNetwork net;
    private final PaxosTruth truth;
    private final int faultTicks;
    private final int delayTicksMax;
    private final double crashPerTick;
    private final double issuePerTick;
    /** How many nodes stay down once the faults stop (at most a minority: the rest must still decide). */
    private final int downAfterFaults;
    private long now = 0;
    private long liveTicks = -1;

    PaxosSim(long seed) {
        this(seed, PaxosConfig.FRAME_BYTES_DEFAULT);
    }

    /** With frames of at most {@code frameBytesMax}: small ones make promises, views and checkpoints go in parts. */
    PaxosSim(long seed, int frameBytesMax) {
        this.seed = seed;
        random = new Random(Sim.mix(seed));
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
        double stepCrash = random.nextDouble() * 0.008;
        double pointCrash = random.nextDouble() * 0.01;
        issuePerTick = 0.05 + random.nextDouble() * 0.4;
        downAfterFaults = random.nextInt(3) == 0 ? 1 + random.nextInt(cfg.majority() - 1) : 0;
        net = new LossyNetwork(random, dropRate, dupRate, delayTicksMax, random.nextDouble() * 0.1);
        world = new SimCluster(random, net, stepCrash, pointCrash, 0, this);
        nodes = world.nodes();
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
            world.addClient(c);
        }
        for (String id : ids) {
            PaxosHost node = new PaxosHost(id, s -> new PaxosNode(cfg, id, new LockTable(), new Random(s)), truth.log());
            world.add(node);
            node.start(random.nextLong());
        }
    }

    long events() {
        return world.events();
    }

    long now() {
        return now;
    }

    /** The last events, oldest first, to read beside a failure. */
    String recentEvents() {
        return world.recentEvents();
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
        sb.append("  chosen contiguously below ").append(truth.log().chosenBelow()).append(", grants ").append(truth.grantsSummary());
        return sb.toString();
    }

    /** Runs the fault phase, then heals everything and waits for the group to finish all the work. */
    Stats run() {
        boolean probed = false;
        long end = faultTicks + LIVE_TICKS_MAX;
        for (now = 1; now <= end; now++) {
            world.at(now);
            world.faulty(now <= faultTicks);
            if (now <= faultTicks) {
                injectFaults();
            } else if (now == faultTicks + 1) {
                heal();
            }
            for (SimClient c : clients.values()) {
                c.act(now, now <= faultTicks ? random.nextDouble() < issuePerTick : false, this::clientSend);
            }
            world.deliverDue();
            world.tickNodes();
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
        long completed = 0, retries = 0, waits = 0, notHolders = 0, notices = 0;
        for (SimClient c : clients.values()) {
            completed += c.completed;
            retries += c.retries;
            waits += c.waits;
            notHolders += c.notHolders;
            notices += c.notices;
        }
        long pointCrashes = world.pointCrashes().values().stream().mapToLong(Long::longValue).sum();
        return new Stats(nodes.size(), world.events(), now, truth.log().chosenCount(), truth.executedRequests(),
                world.crashes(), world.tornWrites(), pointCrashes, world.partitions(), net.dropped(), net.duplicated(),
                net.late(), world.installs(), completed, retries, waits, notHolders, notices, liveTicks, world.parts(),
                truth.log().fingerprint() * 31 + world.events());
    }

    private void clientSend(String from, String to, PaxosMsg m) {
        world.clientSend(from, to, m);
    }

    // ---- faults ----

    private void injectFaults() {
        for (PaxosHost n : nodes.values()) {
            if (n.up() && random.nextDouble() < crashPerTick) {
                world.event("crash between steps", n.id);
                world.crash(n);
            } else if (!n.up() && now >= n.downUntil()) {
                world.event("restart", n.id);
                n.start(random.nextLong());
            }
        }
        String leader = world.leaderAmong(nodes.keySet());
        if (leader != null && random.nextDouble() < crashPerTick) {
            world.event("crash the leader", leader);
            world.crash(nodes.get(leader));
        }
        if (world.partitioned()) {
            world.healPartitionIfDue();
        } else if (random.nextDouble() < 0.01) {
            List<String> ids = new ArrayList<>(nodes.keySet());
            Collections.shuffle(ids, random);
            TreeSet<String> island = new TreeSet<>(ids.subList(0, 1 + random.nextInt(ids.size() - 1)));
            if (leader != null && random.nextBoolean()) {
                island = new TreeSet<>(List.of(leader)); // the leader alone, still believing it leads
            }
            world.cutOff(island, now + 10 + random.nextInt(100));
        }
    }

    private void heal() {
        List<String> ids = new ArrayList<>(nodes.keySet());
        Collections.shuffle(ids, random);
        TreeSet<String> staysDown = new TreeSet<>(ids.subList(0, downAfterFaults));
        world.event("faults stop: the network heals, every node is up but", staysDown);
        world.healAll();
        net.setFaults(0, 0, delayTicksMax, 0);
        for (PaxosHost n : nodes.values()) {
            if (staysDown.contains(n.id)) {
                n.crash(Long.MAX_VALUE);
            } else if (!n.up()) {
                n.start(random.nextLong());
            }
        }
    }

    @Override
    public void toClient(LossyNetwork.Packet p) {
        SimClient client = clients.get(p.to());
        if (p.message() instanceof PaxosMsg.ClientReply r) {
            client.onReply(r);
        } else if (p.message() instanceof PaxosMsg.Notice n) {
            client.onNotice(n);
        } else {
            throw new Sim.SimFailure(p.from() + " sent client " + p.to() + " " + p.message());
        }
    }

    /** What a step computed must agree with the truth, whether or not its sends get out. */
    @Override
    public void observe(PaxosHost n, Output out) {
        for (Envelope e : out.sends()) {
            Message m = e.message();
            if (m instanceof PaxosMsg.Decide d && d.value() != null) {
                truth.log().claimed(d.slot(), d.value(), n.id + "'s Decide");
            } else if (m instanceof PaxosMsg.CatchUpReply r) {
                for (PValue pv : r.decided()) {
                    truth.log().claimed(pv.slot(), pv.value(), n.id + "'s catch-up");
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
