package synod.nemesis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import synod.app.Op;
import synod.app.Result;
import synod.master.BankCluster.ClusterException;
import synod.master.PaxosCluster;
import synod.runtime.ClusterConfig;
import synod.runtime.PortBlock;

/**
 * One nemesis run, Jepsen-style: real node JVMs on loopback (spawned, killed with kill -9 and
 * restarted by {@link PaxosCluster}), clients of every workload in threads recording a
 * {@link History}, and a nemesis that, from a seed, runs cycles of one fault each while the load
 * goes on: kill -9 of the leader or of random nodes (two at once on five), its log's tail torn
 * while it is down (garbage, half a record, NUL bytes), then a restart; SIGSTOP of a node for a
 * while, then SIGCONT; a cut-off (the master's SetLive: the node cannot reach its peers), then the
 * heal; message loss on every node (the master's SetDropRate), then none; with the nodes in network
 * namespaces ({@link NetnsLab}), real partitions: one node from the rest, the leader in the
 * minority, a bridge node seeing both sides, each by packets dropped in the namespaces, then healed; a latency spike on every
 * node (the master's SetDelay: 5-50 ms and a jitter, per link in order), then none. After each cycle it waits until the group has a leader and every node it touched has caught
 * up, and records how long that took. Then the checkers read the history.
 */
final class NemesisRun implements AutoCloseable {
    /**
     * What to run: groups of replicas, how many cycles of each kind (partitions need a
     * {@link NetnsLab}: real nodes in network namespaces), the seed.
     */
    record Plan(int groups, int replicas, int kills, int faults, int partitions, long seed) {
        Plan(int groups, int replicas, int kills, int faults, long seed) {
            this(groups, replicas, kills, faults, 0, seed);
        }

        String name() {
            return (groups == 1 ? replicas + " nodes" : groups + " groups of " + replicas + " (sharded bank)")
                    + (partitions > 0 ? " in network namespaces" : "");
        }
    }

    /** The partitions' kinds, in the order a run takes them (so three partition cycles make one of each). */
    static final List<String> PARTITIONS = List.of("partition: one node from the rest",
            "partition: the leader in the minority", "partition: a bridge node");

    /**
     * One fault: what, on which nodes, when it began and was healed (ns into the run), how long the
     * restarted JVMs took to connect (ms; -1 if nothing restarted) and then to catch up (ms; -1 if
     * they did not), and whether it struck the leader.
     */
    record Event(String kind, List<String> nodes, long start, long healed, long restartMillis, long recoveredMillis,
                 boolean leader) {
        /** When the cluster was whole again, ns into the run. */
        long over() {
            return healed + (Math.max(0, restartMillis) + Math.max(0, recoveredMillis)) * 1_000_000;
        }

        @Override
        public String toString() {
            return kind + " of " + nodes + (leader ? " (the leader)" : "") + String.format(" at %.1f s", start / 1e9);
        }
    }

    static final long CATCH_UP_MILLIS = 30_000;

    final Plan plan;
    final History history = new History();
    final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    final List<String> problems = new ArrayList<>();
    final List<String> accounts;
    final Map<String, Long> opening = new TreeMap<>();
    Map<String, Long> closing = Map.of();
    int tornTails;
    private final Random random;
    private final Path dir;
    private final PaxosCluster cluster;
    private final Workloads workloads;
    /** The namespaces the nodes run in, whose links the partitions cut; null on loopback. */
    private final NetnsLab lab;
    private final List<Thread> clients = new ArrayList<>();
    /** Nodes whose log tail was torn while they were down, until their restart is checked. */
    private final List<String> torn = new ArrayList<>();
    private volatile boolean stopping;

    /** Blocks of ports a run tries before it gives up: a block is probed free, not held (see {@link PortBlock}). */
    static final int PORT_BLOCKS = 3;

    /**
     * Starts a run in {@code dir} on a free block of ports, and on another if a port of it was taken
     * between the probe and the bind (the master or a node says it cannot listen).
     */
    static NemesisRun start(Plan plan, Path dir) throws IOException, ClusterException {
        for (int block = 1; ; block++) {
            Path here = dir.resolve("block" + block);
            try {
                return new NemesisRun(plan, here, null);
            } catch (IOException | ClusterException e) {
                if (block == PORT_BLOCKS || !aPortWasTaken(e, here)) {
                    throw e;
                }
                System.err.println("nemesis: a port was taken (" + e.getMessage() + "); starting over on another block");
            }
        }
    }

    private static boolean aPortWasTaken(Exception e, Path dir) throws IOException {
        if (String.valueOf(e.getMessage()).contains("cannot listen")) {
            return true;
        }
        Path logs = dir.resolve("logs");
        if (!Files.isDirectory(logs)) {
            return false;
        }
        try (var nodes = Files.list(logs)) {
            for (Path n : nodes.toList()) {
                Path out = n.resolve("node.out");
                if (Files.exists(out) && Files.readString(out).contains("cannot listen on")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Starts a run in {@code dir} on {@code lab}'s network: this process is in the master's
     * namespace, each node is started in its own, every one on its own address (no port can be taken
     * there by anyone else).
     */
    static NemesisRun start(Plan plan, Path dir, NetnsLab lab) throws IOException, ClusterException {
        return new NemesisRun(plan, dir, lab);
    }

    private NemesisRun(Plan plan, Path dir, NetnsLab lab) throws IOException, ClusterException {
        this.plan = plan;
        this.dir = dir;
        this.lab = lab;
        this.random = new Random(plan.seed());
        Files.createDirectories(dir);
        Path config = dir.resolve("cluster.json");
        Path template = Path.of("config", "cluster.json");
        ClusterConfig cfg = lab == null ? PortBlock.write(template, config)
                : ClusterConfig.load(lab.writeConfig(template, config), true);
        if (plan.partitions() > 0 && lab == null) {
            throw new IllegalArgumentException("partitions need the nodes in network namespaces (a NetnsLab)");
        }
        this.cluster = new PaxosCluster(cfg, dir.resolve("logs"), config, plan.seed());
        if (lab != null) {
            cluster.launchWith(lab::exec);
        }
        this.workloads = new Workloads(cluster, history, () -> stopping);
        this.accounts = Workloads.accounts(plan.groups() == 1 ? 6 : 9);
        try {
            cluster.start(plan.groups(), plan.replicas());
            for (int g = 1; g <= plan.groups(); g++) {
                if (cluster.awaitLeader(g, 60_000) == null) {
                    throw new ClusterException("group " + g + " elected no leader within 60 s");
                }
            }
            open();
        } catch (ClusterException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Opens the accounts with 100 each: on a sharded cluster a range per group, then the placement to every group. */
    private void open() throws ClusterException {
        accounts.forEach(a -> opening.put(a, 100L));
        Workloads.Client c = workloads.new Client("opener", 0);
        if (plan.groups() == 1) {
            expect(c.call(new Op.Open(accounts, 100), 1, 30_000), "Open");
            return;
        }
        List<Op.Range> ranges = new ArrayList<>();
        int per = accounts.size() / plan.groups();
        for (int g = 1; g <= plan.groups(); g++) {
            List<String> part = accounts.subList((g - 1) * per, g * per);
            ranges.add(new Op.Range(part.get(0), part.get(part.size() - 1), g));
            expect(workloads.new Client("opener-" + g, 0).call(new Op.Open(part, 100), g, 30_000), "Open on group " + g);
        }
        cluster.place(ranges);
        for (int g = 1; g <= plan.groups(); g++) {
            expect(workloads.new Client("placer-" + g, 0).call(new Op.Place(ranges), g, 30_000), "Place on group " + g);
        }
    }

    private static void expect(Result r, String what) throws ClusterException {
        if (!(r instanceof Result.Opened || r instanceof Result.Ok)) {
            throw new ClusterException(what + " answered " + r);
        }
    }

    /** Starts the clients: on one group kv, bank and locks; on a sharded cluster bank clients across groups. */
    void startClients() {
        List<Runnable> loops = new ArrayList<>();
        long s = plan.seed() * 100;
        if (plan.groups() == 1) {
            for (int i = 1; i <= 3; i++) {
                loops.add(workloads.kv(workloads.new Client("kv" + i, s + i)));
            }
            for (int i = 1; i <= 2; i++) {
                loops.add(workloads.bank(workloads.new Client("bank" + i, s + 10 + i), accounts));
            }
            for (int i = 1; i <= 3; i++) {
                loops.add(workloads.locks(workloads.new Client("lock" + i, s + 20 + i), List.of("L1", "L2")));
            }
        } else {
            for (int i = 1; i <= 4; i++) {
                loops.add(workloads.bank(workloads.new Client("bank" + i, s + 10 + i), accounts));
            }
        }
        for (Runnable r : loops) {
            Thread t = new Thread(r, "nemesis-client");
            t.setDaemon(true);
            clients.add(t);
            t.start();
        }
    }

    /** Runs the plan's cycles, kills and other faults in a seeded order; progress on stderr. */
    void runCycles() throws Exception {
        // 0: kill -9; then in turn 1: SIGSTOP, 2: cut-off, 3: message loss, 4: latency spike
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < plan.kills(); i++) {
            order.add(0);
        }
        for (int i = 0; i < plan.faults(); i++) {
            order.add(1 + i % 4);
        }
        for (int i = 0; i < plan.partitions(); i++) {
            order.add(5); // 5: a real partition, in network namespaces
        }
        Collections.shuffle(order, random);
        int partitions = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < order.size(); i++) {
            int g = 1 + random.nextInt(plan.groups());
            Event e = switch (order.get(i)) {
                case 0 -> killCycle(g);
                case 1 -> pauseCycle(g);
                case 2 -> cutOffCycle(g);
                case 3 -> lossCycle(g);
                case 4 -> latencyCycle(g);
                default -> partitionCycle(g, PARTITIONS.get(partitions++ % PARTITIONS.size()));
            };
            events.add(e);
            System.err.printf("nemesis %s: cycle %d/%d %s, %scaught up in %d ms; %d ops so far (%.0f s)%n",
                    plan.name(), i + 1, order.size(), e, e.restartMillis() < 0 ? "" : "restarted in " + e.restartMillis()
                    + " ms, ", e.recoveredMillis(), history.size(), (System.nanoTime() - t0) / 1e9);
            if (!problems.isEmpty()) {
                System.err.println("nemesis: stopping early: " + problems);
                return;
            }
        }
    }

    /** The nodes a fault strikes: the leader (half the time) or a random node, and on five nodes sometimes a second. */
    private record Targets(List<String> nodes, boolean ofLeader) {}

    private Targets targets(int g, int secondOneIn) {
        String leader = cluster.leader(g);
        List<String> members = cluster.group(g);
        boolean ofLeader = leader != null && random.nextBoolean();
        List<String> nodes = new ArrayList<>();
        nodes.add(ofLeader ? leader : members.get(random.nextInt(members.size())));
        if (plan.replicas() >= 5 && secondOneIn > 0 && random.nextInt(secondOneIn) == 0) {
            String second = members.get(random.nextInt(members.size()));
            if (!nodes.contains(second)) {
                nodes.add(second); // two of five: a majority is still up
            }
        }
        return new Targets(nodes, ofLeader);
    }

    private Event killCycle(int g) throws Exception {
        Targets hit = targets(g, 3);
        List<String> victims = hit.nodes();
        boolean ofLeader = hit.ofLeader();
        long start = history.now();
        for (String v : victims) {
            cluster.kill(v);
        }
        hold(200, 1500);
        for (String v : victims) {
            if (random.nextInt(4) == 0) {
                tear(v);
            }
        }
        long healed = history.now();
        long t = System.nanoTime();
        for (String v : victims) {
            cluster.spawn(v);
        }
        for (String v : victims) {
            cluster.awaitHello(v);
        }
        long restart = (System.nanoTime() - t) / 1_000_000;
        long recovered = catchUp(g, victims, System.nanoTime());
        return new Event("kill -9", victims, start, healed, restart, recovered, ofLeader);
    }

    private Event pauseCycle(int g) throws Exception {
        Targets t = targets(g, 0);
        String v = t.nodes().get(0);
        boolean ofLeader = t.ofLeader();
        long start = history.now();
        signal(v, "STOP");
        hold(500, 2000);
        signal(v, "CONT");
        long healed = history.now();
        return new Event("SIGSTOP", List.of(v), start, healed, -1, catchUp(g, List.of(v), System.nanoTime()), ofLeader);
    }

    private Event cutOffCycle(int g) throws Exception {
        Targets t = targets(g, 2);
        List<String> cut = t.nodes();
        boolean ofLeader = t.ofLeader();
        List<String> all = allNodes();
        List<String> live = new ArrayList<>(all);
        live.removeAll(cut);
        long start = history.now();
        cluster.setLive(live);
        hold(500, 2000);
        cluster.setLive(all);
        long healed = history.now();
        return new Event("cut-off", cut, start, healed, -1, catchUp(g, cut, System.nanoTime()), ofLeader);
    }

    /** Every node drops each message it sends with probability 0.2-0.5 for a while (the master's SetDropRate). */
    private Event lossCycle(int g) throws Exception {
        double rate = 0.2 + 0.3 * random.nextDouble();
        long start = history.now();
        cluster.setDropRate(rate);
        hold(500, 2000);
        cluster.setDropRate(0);
        long healed = history.now();
        System.err.printf("nemesis: %.0f%% of messages dropped for %.1f s%n", rate * 100, (healed - start) / 1e9);
        return new Event("message loss", cluster.group(g), start, healed, -1, catchUp(g, cluster.group(g),
                System.nanoTime()), false);
    }

    /**
     * A real partition of group {@code g}'s nodes ({@link NetnsLab#cut}: packets dropped in their
     * namespaces), held for a while, then healed: one node (at random) from the rest; the leader,
     * with one other on five nodes, in the minority; or a bridge node that sees both sides while
     * they do not see each other (the leader on one side). The master, the clients' side, reaches
     * every node throughout: a client of a node cut off from its group waits and tries another.
     */
    private Event partitionCycle(int g, String kind) throws Exception {
        List<String> members = new ArrayList<>(cluster.group(g));
        String leader = cluster.leader(g);
        Collections.shuffle(members, random);
        if (leader != null) { // the leader first, so "the leader in the minority" and the bridge's sides name it
            members.remove(leader);
            members.add(0, leader);
        }
        List<String> minority = new ArrayList<>();
        Map<String, Set<String>> blocked = new TreeMap<>();
        String bridge = null;
        if (kind.equals(PARTITIONS.get(0))) {
            minority.add(members.get(random.nextInt(members.size()))); // the leader one time in n
        } else if (kind.equals(PARTITIONS.get(1))) {
            minority.addAll(members.subList(0, (members.size() - 1) / 2));
        } else {
            bridge = members.get(members.size() - 1); // not the leader
            minority.addAll(members.subList(0, (members.size() - 1) / 2));
        }
        List<String> majority = new ArrayList<>(members);
        majority.removeAll(minority);
        if (bridge != null) {
            majority.remove(bridge);
        }
        for (String a : minority) {
            for (String b : majority) {
                blocked.computeIfAbsent(a, x -> new TreeSet<>()).add(b);
                blocked.computeIfAbsent(b, x -> new TreeSet<>()).add(a);
            }
        }
        long start = history.now();
        lab.cut(blocked);
        if (kind.equals(PARTITIONS.get(1)) && leader != null) {
            awaitNewLeader(g, leader); // the proof that the cut is real: the majority moves on without the leader
        }
        hold(1000, 2500);
        lab.heal();
        long healed = history.now();
        String sides = minority + " | " + majority + (bridge == null ? "" : ", " + bridge + " seeing both");
        System.err.println("nemesis: " + kind + ": " + sides + String.format(" for %.1f s", (healed - start) / 1e9));
        List<String> struck = new ArrayList<>(minority);
        return new Event(kind, struck, start, healed, -1, catchUp(g, cluster.group(g), System.nanoTime()),
                minority.contains(leader));
    }

    /** Waits until a majority of group {@code g} follows a leader other than {@code old}, or records a problem. */
    private void awaitNewLeader(int g, String old) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CATCH_UP_MILLIS);
        for (String now = cluster.leader(g); now == null || now.equals(old); now = cluster.leader(g)) {
            if (System.nanoTime() > end) {
                problems.add("group " + g + "'s majority elected no leader within " + CATCH_UP_MILLIS / 1000
                        + " s of its leader " + old + " being cut off (it answers " + now + ")");
                return;
            }
            Thread.sleep(20); // polling the nodes: the election happens in other processes
        }
    }

    /**
     * A latency spike: every node sends each message to a peer 5-50 ms late plus a seeded jitter of
     * up to as much again (the master's SetDelay, the script's Delay), for a while, then none.
     */
    private Event latencyCycle(int g) throws Exception {
        long delayMicros = 5_000 + random.nextInt(45_001);
        long jitterMicros = random.nextInt((int) delayMicros + 1);
        long start = history.now();
        cluster.setDelay(delayMicros, jitterMicros);
        hold(500, 2000);
        cluster.setDelay(0, 0);
        long healed = history.now();
        System.err.printf("nemesis: messages %.1f ms late (+ up to %.1f ms) for %.1f s%n", delayMicros / 1e3,
                jitterMicros / 1e3, (healed - start) / 1e9);
        return new Event("latency spike", cluster.group(g), start, healed, -1, catchUp(g, cluster.group(g),
                System.nanoTime()), false);
    }

    List<String> allNodes() {
        List<String> all = new ArrayList<>();
        for (int g = 1; g <= plan.groups(); g++) {
            all.addAll(cluster.group(g));
        }
        return all;
    }

    /** How long a fault lasts: the nemesis's schedule, drawn from the seed. */
    private void hold(int minMillis, int maxMillis) throws InterruptedException {
        Thread.sleep(minMillis + random.nextInt(maxMillis - minMillis));
    }

    /** Appends what a crash mid-write can leave to {@code node}'s log: garbage, half a record, or NUL bytes. */
    private void tear(String node) throws IOException {
        Path log = dir.resolve("logs").resolve(node).resolve("paxos.log");
        byte[] tail;
        switch (random.nextInt(3)) {
            case 0 -> tail = "\u00ff\u0001garbage 12 {\"rec".getBytes(StandardCharsets.ISO_8859_1);
            case 1 -> {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                String last = lines.isEmpty() ? "0badf00d 1 {\"rec\":\"promised\"}" : lines.get(lines.size() - 1);
                tail = last.substring(0, last.length() / 2).getBytes(StandardCharsets.UTF_8);
            }
            default -> tail = new byte[512];
        }
        Files.write(log, tail, StandardOpenOption.APPEND);
        tornTails++;
        torn.add(node);
    }

    private void signal(String node, String sig) throws IOException, InterruptedException {
        String pid = Files.readString(dir.resolve("logs").resolve(node).resolve("pid")).strip();
        Process p = new ProcessBuilder("kill", "-" + sig, pid).redirectErrorStream(true).start();
        if (p.waitFor() != 0) {
            throw new IOException("kill -" + sig + " " + pid + " (" + node + ") failed: "
                    + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /**
     * Waits until group {@code g} has a leader and each of {@code nodes} has executed as far as the
     * leader had when asked; returns the milliseconds since {@code sinceNanos}, or -1 and a problem.
     */
    private long catchUp(int g, List<String> nodes, long sinceNanos) {
        String leader = cluster.awaitLeader(g, CATCH_UP_MILLIS);
        if (leader == null) {
            problems.add(String.format("group %d had no leader %d s after the fault on %s was healed", g,
                    CATCH_UP_MILLIS / 1000, nodes));
            return -1;
        }
        List<String> info = cluster.query(leader, "info", 0, 5_000);
        long target = info == null ? 0 : Long.parseLong(info.get(3));
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CATCH_UP_MILLIS);
        for (String n : nodes) {
            while (true) {
                List<String> mine = cluster.query(n, "info", 0, 1_000);
                if (mine != null && Long.parseLong(mine.get(3)) >= target) {
                    break;
                }
                if (System.nanoTime() > end) {
                    problems.add(n + " did not catch up to slot " + target + " within " + CATCH_UP_MILLIS / 1000
                            + " s of the heal (it answers " + mine + ")");
                    return -1;
                }
                try {
                    Thread.sleep(10); // polling another process's state
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
            }
        }
        for (String n : nodes) {
            if (torn.remove(n) && !nodeLog(n).contains("cut a torn last line off paxos.log")) {
                problems.add(n + " restarted on a torn log but does not say it cut the tail");
            }
        }
        return (System.nanoTime() - sinceNanos) / 1_000_000;
    }

    private String nodeLog(String node) {
        try {
            return Files.readString(dir.resolve("logs").resolve(node).resolve("node.log"));
        } catch (IOException e) {
            return "";
        }
    }

    /** Stops the clients (each finishes or times out its request), then reads the closing balances. */
    void stopClients() throws InterruptedException {
        stopping = true;
        for (Thread t : clients) {
            t.join(Workloads.TIMEOUT_MILLIS * 3);
            if (t.isAlive()) {
                problems.add("a client did not stop: " + t);
            }
        }
        closing = workloads.closingBalances(accounts, 3_000, 120_000);
    }

    @Override
    public void close() {
        stopping = true;
        if (lab != null) {
            try {
                lab.heal(); // a run that failed mid-partition leaves no rule behind
            } catch (IOException e) {
                System.err.println("nemesis: " + e.getMessage());
            }
        }
        cluster.close();
    }
}
