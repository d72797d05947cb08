package synod.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import synod.app.Op;
import synod.app.Services;
import synod.core.Envelope;
import synod.core.Message;
import synod.core.Output;
import synod.paxos.PValue;
import synod.paxos.PaxosConfig;
import synod.paxos.PaxosMsg;
import synod.paxos.PaxosNode;
import synod.txn.TxnAgent;
import synod.txn.TxnMsg;
import synod.txn.TxnTable;

/**
 * Layer 3: a seeded world for two-phase commit over Paxos groups. G groups (2 or 3) of R real
 * {@link PaxosNode} cores (1, textbook blocking 2PC, or 3), each node with {@code new Services(g, G)}
 * and {@code enableTxn}; every group opens its accounts and learns the placement of every item through
 * its log, as the master does; then bank clients ({@link TxnClient}) send transfers, within a group
 * and across groups (some on hot items in both directions, some the sender cannot afford, some to
 * accounts that do not exist) and balance reads ({@link TxnBank}), and key-value clients send puts,
 * gets, deletes and transactions with guards over keys of every group ({@link TxnKv}), while {@link TxnFaults} drops, duplicates, reorders
 * and delays messages, partitions nodes (within a group, between groups, a leader alone), crashes
 * and restarts any node at any step or protocol point (the 2PC ones included), and takes a whole
 * group down for a while. Everything follows from the seed: one {@link Random}, TreeMaps, ticks.
 * (A group of one node does not checkpoint here; see {@link #startGroup}.)
 *
 * <p>Checked after every event: the Paxos checks per group ({@link ChosenLog}, {@link PaxosHost}),
 * the money and the transactions across groups ({@link TxnTruth}), what every node sends (a
 * decision only once its group's log holds it; a yes vote only once prepared; an answer only as the
 * chosen order gives it) and what every client hears. Once the faults stop (every node restarts,
 * the network heals), within {@link #LIVE_TICKS_MAX} ticks every group must settle (one leader, its
 * replicas caught up, no item locked, no transaction record undecided or unacknowledged, no
 * participant prepared), every request complete, and then one more from every client; then every
 * balance is the opening one moved by exactly the transfers clients were told committed.
 */
final class TxnSim implements SimCluster.Observer {
    static final int SETUP_TICKS_MAX = 2000;
    static final int LIVE_TICKS_MAX = 2000;

    /** What one run did, for the test's summary, its coverage guard and the determinism test. */
    record Stats(int groups, int replicas, long events, long ticks, long crashes, long torn,
                 TreeMap<String, Long> pointCrashes, long partitions, long outages, long dropped, long duplicated,
                 long late, long installs, TxnTruth.Counts counts, long completed, long retries, long busyRetries,
                 long liveTicks, long fingerprint) {}

    private final long seed;
    private final Random random;
    private final List<List<String>> groups = new ArrayList<>();
    private final TreeMap<String, Integer> groupOf = new TreeMap<>();
    private final TxnBank bank;
    private final SimCluster world;
    private final TxnTruth truth;
    private final TxnFaults faults;
    private final TreeMap<String, TxnClient> setup = new TreeMap<>();
    /** What the setup clients still have to send. */
    private final List<ArrayDeque<Op>> scripts = new ArrayList<>();
    private final TreeMap<String, TxnClient> clients = new TreeMap<>();
    private final int faultTicks;
    private final double issuePerTick;
    private long now = 0;
    private long liveTicks = -1;

    TxnSim(long seed) {
        this.seed = seed;
        random = new Random(Sim.mix(seed));
        int g = 2 + random.nextInt(2);
        int r = random.nextBoolean() ? 1 : 3;
        for (int k = 1, n = 1; k <= g; k++) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < r; i++, n++) {
                ids.add("n" + n);
                groupOf.put("n" + n, k);
            }
            groups.add(ids);
        }
        bank = new TxnBank(g, random);
        TxnKv kv = new TxnKv(g, random);
        faultTicks = 300 + random.nextInt(500);
        issuePerTick = 0.1 + random.nextDouble() * 0.4;
        double readShare = random.nextDouble() * 0.4;
        TxnAgent.Timing timing = new TxnAgent.Timing(4 + random.nextInt(10), 30 + random.nextInt(170),
                40 + random.nextInt(200));
        int delayTicksMax = 1 + random.nextInt(8);
        LossyNetwork net = new LossyNetwork(random, random.nextDouble() * 0.15, random.nextDouble() * 0.1,
                delayTicksMax, random.nextDouble() * 0.1);
        // How stormy this seed is: a product, so that many seeds are calm enough for long runs of
        // conflicting transactions and some crash something every few ticks.
        double storm = random.nextDouble() * random.nextDouble();
        world = new SimCluster(random, net, storm * 0.01, random.nextDouble() * 0.01,
                (0.2 + storm) * random.nextDouble() * 0.1, this);
        faults = new TxnFaults(world, groups, timing.timeoutTicks(), delayTicksMax, 0.0002 + storm * 0.005,
                storm * 0.01);
        List<String> names = new ArrayList<>();
        for (int k = 1; k <= g; k++) {
            names.add("m" + k);
        }
        for (int i = 1, k = 3 + random.nextInt(6); i <= k; i++) {
            names.add("c" + i);
        }
        int kvClients = 1 + random.nextInt(3);
        for (int i = 1; i <= kvClients; i++) {
            names.add("v" + i);
        }
        names.add("r1"); // resharding: moves accounts between groups while the transfers run
        truth = new TxnTruth(g, r, bank::placement, bank.total(), names);
        startSetup();
        for (String c : names.subList(g, names.size())) {
            clients.put(c, client(c, c.startsWith("v") ? kv.workload() : c.startsWith("r") ? bank.moves(truth::where)
                    : bank.workload(readShare), 15 + random.nextInt(30)));
        }
        for (int k = 1; k <= g; k++) {
            startGroup(k, timing);
        }
    }

    /** Group {@code k}'s nodes: real cores, each with the group's services and 2PC enabled. */
    private void startGroup(int k, TxnAgent.Timing timing) {
        List<String> ids = groups.get(k - 1);
        // A group of one node never checkpoints here: its step accepts, decides and checkpoints at once,
        // and the rewrite drops the very acceptance the truth learns what was chosen from.
        int checkpointEvery = ids.size() == 1 ? 0 : 2 + random.nextInt(10);
        PaxosConfig cfg = new PaxosConfig(ids, 3, 15, 3, 48, 6, 1 + random.nextInt(6), 1 + random.nextInt(4),
                checkpointEvery, 1 + random.nextInt(6));
        for (String id : ids) {
            PaxosHost host = new PaxosHost(id, s -> {
                Services services = new Services(k, groups.size());
                PaxosNode node = new PaxosNode(cfg, id, services, new Random(s));
                node.enableTxn(groups, k, services.txns(), timing);
                return node;
            }, truth.log(k));
            world.add(host);
            host.start(random.nextLong());
        }
    }

    /** The master's part: every group opens its accounts, then learns where every item lives. */
    private void startSetup() {
        for (int k = 1; k <= groups.size(); k++) {
            ArrayDeque<Op> script = new ArrayDeque<>(List.of(new Op.Open(bank.accounts(k), bank.opening()),
                    new Op.Place(bank.ranges())));
            scripts.add(script);
            int group = k;
            setup.put("m" + k, client("m" + k, new TxnClient.Ops() {
                @Override
                public Op next(Random r) {
                    return script.poll();
                }

                @Override
                public int groupOf(Op op) {
                    return group;
                }
            }, 20));
        }
    }

    private TxnClient client(String id, TxnClient.Ops ops, int retryTicks) {
        world.addClient(id);
        return new TxnClient(id, random, groups, ops, truth, retryTicks);
    }

    long events() {
        return world.events();
    }

    long now() {
        return now;
    }

    String recentEvents() {
        return world.recentEvents();
    }

    /** The world now: nodes with their transaction tables, clients. */
    String describe() {
        StringBuilder sb = new StringBuilder(String.format("seed %d, %d groups of %d: %s, accounts %s opened with %d%n",
                seed, groups.size(), groups.get(0).size(), groups, bank.accounts(), bank.opening()));
        for (PaxosHost n : world.nodes().values()) {
            PaxosNode c = n.core();
            sb.append("  ").append(n.id).append(' ');
            if (c == null) {
                sb.append("down until ").append(n.downUntil()).append('\n');
                continue;
            }
            TxnTable t = ((Services) c.replica().machine()).txns();
            sb.append(c.isLeader() ? "LEADER " : "follower of " + c.leaderId() + " ").append(c.ballot())
                    .append(" slotOut ").append(c.replica().slotOut()).append(" txns ").append(t.snapshot()).append('\n');
        }
        setup.values().forEach(c -> sb.append("  ").append(c).append('\n'));
        clients.values().forEach(c -> sb.append("  ").append(c).append('\n'));
        return sb.toString();
    }

    // ---- the run ----

    /** Opens the accounts, runs the fault phase, heals everything and waits for every group to finish the work. */
    Stats run() {
        while (scripts.stream().anyMatch(s -> !s.isEmpty()) || setup.values().stream().anyMatch(c -> !c.idle())) {
            Sim.expect(now < SETUP_TICKS_MAX, "setup not done after %d ticks", SETUP_TICKS_MAX);
            tick(false, false);
        }
        long faultEnd = now + faultTicks;
        while (now < faultEnd) {
            tick(true, true);
        }
        faults.heal();
        boolean probed = false;
        String unsettled = "";
        while (liveTicks < 0) {
            Sim.expect(now - faultEnd < LIVE_TICKS_MAX, "not live: %d ticks after the faults stopped the groups have"
                    + " not settled (one leader each, replicas caught up, no lock, no open transaction record, every"
                    + " request answered): %s", LIVE_TICKS_MAX, unsettled);
            tick(false, false);
            unsettled = unsettled();
            if (unsettled == null) {
                if (probed) {
                    liveTicks = now - faultEnd;
                } else {
                    // Idle and agreed; one more request from every client proves the groups still decide.
                    probed = true;
                    clients.values().forEach(c -> c.act(now, true, world::clientSend));
                }
            }
        }
        checkFinal();
        long completed = 0, retries = 0, busyRetries = 0;
        for (TxnClient c : clients.values()) {
            completed += c.completed;
            retries += c.retries;
            busyRetries += c.busyRetries;
        }
        return new Stats(groups.size(), groups.get(0).size(), world.events(), now, world.crashes(), world.tornWrites(),
                world.pointCrashes(), world.partitions(), faults.outages(), world.net.dropped(), world.net.duplicated(),
                world.net.late(), world.installs(), truth.counts(), completed, retries, busyRetries, liveTicks,
                truth.fingerprint() * 31 + world.events());
    }

    private void tick(boolean faulty, boolean issue) {
        world.at(++now);
        world.faulty(faulty);
        if (faulty) {
            faults.inject();
        }
        for (TxnClient c : setup.values()) {
            c.act(now, true, world::clientSend);
        }
        for (TxnClient c : clients.values()) {
            c.act(now, issue && random.nextDouble() < issuePerTick, world::clientSend);
        }
        world.deliverDue();
        world.tickNodes();
    }

    @Override
    public void toClient(LossyNetwork.Packet p) {
        TxnClient c = clients.containsKey(p.to()) ? clients.get(p.to()) : setup.get(p.to());
        Sim.expect(p.message() instanceof PaxosMsg.ClientReply, "%s sent client %s %s", p.from(), p.to(), p.message());
        c.onReply(p.from(), (PaxosMsg.ClientReply) p.message());
    }

    /** What a step computed must agree with the truth, whether or not its sends get out. */
    @Override
    public void observe(PaxosHost n, Output out) {
        int g = groupOf.get(n.id);
        for (Envelope e : out.sends()) {
            Message m = e.message();
            if (m instanceof PaxosMsg.Decide d && d.value() != null) {
                truth.log(g).claimed(d.slot(), d.value(), n.id + "'s Decide");
            } else if (m instanceof PaxosMsg.CatchUpReply r) {
                for (PValue pv : r.decided()) {
                    truth.log(g).claimed(pv.slot(), pv.value(), n.id + "'s catch-up");
                }
            } else if (m instanceof PaxosMsg.ClientReply r) {
                truth.checkReply(n.id, r.client(), r.seq(), r.result());
            } else if (m instanceof TxnMsg t) {
                truth.checkSent(n.id, g, t);
            }
        }
    }

    // ---- once the faults stop ----

    /**
     * Why the world has not settled, or null once every group has one leader known to its live
     * nodes, its replicas caught up, no 2PC work left, and every client is answered.
     */
    private String unsettled() {
        for (List<String> ids : groups) {
            String leader = world.leaderAmong(ids);
            if (leader == null) {
                return "group " + groupOf.get(ids.get(0)) + " has no leader";
            }
            long slotOut = world.node(leader).core().replica().slotOut();
            for (String id : ids) {
                PaxosNode c = world.node(id).core();
                if (c == null) {
                    return id + " is down";
                }
                if (!id.equals(leader) && (c.isLeader() || !leader.equals(c.leaderId()))) {
                    return id + " does not follow " + leader;
                }
                if (c.replica().slotOut() != slotOut) {
                    return id + " has applied up to slot " + c.replica().slotOut() + ", its leader " + slotOut;
                }
                String busy = unfinished(tableOf(c));
                if (busy != null) {
                    return id + " " + busy;
                }
            }
        }
        List<TxnClient> all = new ArrayList<>(setup.values());
        all.addAll(clients.values());
        return all.stream().filter(c -> !c.idle()).map(TxnClient::toString).findFirst().orElse(null);
    }

    private static TxnTable tableOf(PaxosNode c) {
        return ((Services) c.replica().machine()).txns();
    }

    /** What 2PC work {@code t} has left: an item locked, a coordinator record (undecided or unacknowledged), a participant prepared. */
    private static String unfinished(TxnTable t) {
        if (t.lockCount() > 0) {
            return "holds " + t.lockCount() + " locks";
        }
        if (!t.coords().isEmpty()) {
            return "coordinates " + t.coords().values().iterator().next();
        }
        return t.parts().values().stream().filter(p -> p.state() == TxnTable.State.PREPARED)
                .map(p -> "is prepared for " + p.txid()).findFirst().orElse(null);
    }

    /**
     * Quiet: every transaction decided everywhere; every replica's balances are the opening ones moved by
     * exactly the transfers clients were told committed, so the plain sum is the opening total.
     */
    private void checkFinal() {
        truth.checkQuiet();
        TreeMap<String, Long> expected = new TreeMap<>();
        bank.accounts().values().forEach(open -> open.forEach(a -> expected.put(a, bank.opening())));
        TreeMap<Integer, List<String>> holds = new TreeMap<>();
        expected.keySet().forEach(a -> holds.computeIfAbsent(truth.where(a), k -> new ArrayList<>()).add(a));
        for (TxnClient c : clients.values()) {
            for (Op.Transfer t : c.committed) {
                expected.merge(t.from(), -t.amount(), Long::sum);
                expected.merge(t.to(), t.amount(), Long::sum);
            }
        }
        long sum = 0;
        for (List<String> ids : groups) {
            for (String id : ids) {
                Services s = (Services) world.node(id).core().replica().machine();
                for (var e : expected.keySet()) {
                    int g = truth.where(e);
                    Sim.expect((g == groupOf.get(id)) == (s.bank().balance(e) != null) && s.placement().groupOf(e) == g,
                            "once quiet %s %s %s, but it is in group %d (its placement says %d)", id,
                            s.bank().balance(e) == null ? "lacks" : "holds", e, g, s.placement().groupOf(e));
                }
                for (String a : holds.getOrDefault(groupOf.get(id), List.of())) {
                    long have = s.bank().balance(a);
                    Sim.expect(have == expected.get(a), "%s holds %s = %d once quiet, but the opening balances and"
                            + " the transfers clients were told committed give %d", id, a, have, expected.get(a));
                    sum += id.equals(ids.get(0)) ? have : 0;
                }
            }
        }
        Sim.expect(sum == bank.total(), "once quiet the groups hold %d, but they were opened with %d", sum, bank.total());
    }
}
