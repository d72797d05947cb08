package synod.master;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import synod.app.Op;
import synod.client.ClientSession;
import synod.app.Result;
import synod.core.BadMessage;
import synod.core.Envelope;
import synod.core.Message;
import synod.master.BankCluster.ClusterException;
import synod.paxos.PaxosMsg;
import synod.runtime.ClusterConfig;
import synod.runtime.Control;
import synod.runtime.EventLoop;
import synod.runtime.FrameCodec;
import synod.runtime.Transport;

/**
 * The master's view of Multi-Paxos groups of node JVMs: it spawns them on their configured ports,
 * kills and restarts them, sets loss, cut-offs and crash points (again on every node that comes
 * back), asks them questions, and plays the clients of a script: one request at a time per client,
 * sent to the leader it believes in and, when no answer comes, to every node of the group. It keeps
 * the placement of items over groups it told the nodes ({@link #place}), and routes by it.
 */
public final class PaxosCluster implements Transport.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PaxosCluster.class);
    private static final long RETRY_MILLIS = 300;

    private final ClusterConfig cfg;
    private final Path logs;
    private final Path configFile;
    private final long seed;
    private final EventLoop loop = new EventLoop("master-paxos");
    private final Transport transport;
    /** This cluster's identity and secret (null with authentication off), given to every node it spawns. */
    private final synod.runtime.ClusterKey key;
    private final Map<String, Process> processes = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> hellos = new ConcurrentHashMap<>();
    /** Nodes connected to this master now, whoever started them (this master, or a person). */
    private final Set<String> connected = ConcurrentHashMap.newKeySet();
    private final Map<Long, CompletableFuture<List<String>>> queries = new ConcurrentHashMap<>();
    /** The Frozen answers a FLUSH waits for, by node ({@link #flush}); empty between FLUSHes. */
    private volatile Map<String, CompletableFuture<Void>> frozen = Map.of();
    private final ClientSession clients;
    private final AtomicLong seq = new AtomicLong();
    private volatile List<String> live = List.of();
    private volatile double dropRate;
    /** Injected latency of every node (SetDelay), microseconds: {delay, jitter}. */
    private volatile long[] delay = {0, 0};
    /** Loop thread: CrashAt any is armed and no node has exited of it yet. */
    private boolean armedAny;
    private int groups;
    private int replicas;
    /** Which group holds which item, as last sent to the groups (Op.Place); empty: group 1 holds all. */
    private volatile List<Op.Range> ranges = List.of();
    private volatile synod.app.Placement placement = new synod.app.Placement();
    /** Nodes for a benchmark: both JIT compilers (C2). Otherwise C1 alone: a quicker start on less CPU. */
    private volatile boolean peak;
    /** PrintDB lists only modified accounts (CSE535 Project 3), whatever the placement. */
    private volatile boolean modifiedOnly;
    /** What a node's command line starts with: nothing, or {@code ip netns exec NS} to run it in its network namespace. */
    private volatile java.util.function.Function<String, List<String>> launcher = id -> List.of();

    public PaxosCluster(ClusterConfig cfg, Path logs, Path configFile, long seed) throws IOException {
        this.cfg = cfg;
        this.logs = logs;
        this.configFile = configFile;
        this.seed = seed;
        this.key = synod.runtime.ClusterKey.forMaster(cfg);
        this.transport = new Transport(loop, new FrameCodec(cfg.frameBytesMax()), Envelope.MASTER, this,
                cfg.transportSettings(), synod.runtime.Auth.master(key, "none yet", Set.of()));
        this.clients = new ClientSession(loop, transport, this::group, RETRY_MILLIS);
        CompletableFuture<Void> bound = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                var me = cfg.masterHostPort().mustBeLocal("the master's address");
                transport.listen(me.getHostString(), me.getPort());
                bound.complete(null);
            } catch (IOException e) {
                bound.completeExceptionally(e);
            }
        });
        loop.start();
        try {
            bound.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            loop.close();
            throw new IOException("master cannot listen on " + cfg.masterHostPort() + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
        }
    }

    /**
     * Starts each node's command line with {@code prefix.apply(id)}, a program that runs the rest in
     * place (exec, so the pid is the node's): the namespace test network's {@code ip netns exec NS}.
     */
    public void launchWith(java.util.function.Function<String, List<String>> prefix) {
        this.launcher = prefix;
    }

    /** Node ids of group {@code g} (1-based); none for a group this cluster does not have. */
    public List<String> group(int g) {
        List<String> ids = new ArrayList<>();
        if (g < 1 || g > groups) {
            return ids;
        }
        for (int k = (g - 1) * replicas + 1; k <= g * replicas; k++) {
            ids.add("n" + k);
        }
        return ids;
    }

    public int groups() {
        return groups;
    }

    /** Group {@code g} of a script line, if this cluster has it; else why not, naming the valid range. */
    public int checkGroup(long g) throws ClusterException {
        if (g < 1 || g > groups) {
            throw new ClusterException("no group " + g + ": " + (groups == 1 ? "this cluster has one group, 1"
                    : "this cluster's groups are 1.." + groups));
        }
        return (int) g;
    }

    public int groupOf(String node) {
        return (ClusterConfig.number(node) - 1) / replicas + 1;
    }

    public int replicas() {
        return replicas;
    }

    /** Remembers {@code ranges} as the placement the groups were (or are being) told. */
    public void place(List<Op.Range> ranges) {
        synod.app.Placement p = placement.copy(); // the moves made so far stay, as they do in the groups
        if (!(p.apply(new Op.Place(ranges)) instanceof Result.Ok)) {
            throw new IllegalArgumentException("overlapping or empty ranges: " + ranges);
        }
        this.ranges = List.copyOf(ranges);
        this.placement = p;
    }

    /** Remembers that a move the groups committed put {@code item} in group {@code g}: requests for it go there. */
    public synchronized void moved(String item, int g) {
        synod.app.Placement p = placement.copy();
        p.move(item, g);
        placement = p;
    }

    /** How many moves the master has seen committed since the cluster started: every node's version once quiet. */
    public long placementVersion() {
        return placement.version();
    }

    public List<Op.Range> ranges() {
        return ranges;
    }

    /** The group holding {@code item}: by the placement, group 1 for an item it does not cover. */
    public int groupOfItem(String item) {
        int g = placement.groupOf(item);
        return g == 0 ? 1 : g;
    }

    /** PrintDB lists only the accounts written since opened: always, or once items span groups. */
    public boolean printsModifiedOnly() {
        return modifiedOnly || ranges.stream().mapToInt(Op.Range::group).distinct().count() > 1;
    }

    public void printModifiedOnly(boolean only) {
        modifiedOnly = only;
    }

    /**
     * Nodes started from now on run both JIT compilers (C1 and C2): for benchmarks, whose nodes live
     * long and work hard. Without it they run C1 alone, which suits a script, a CSE535 file or a
     * test: on two cores C2 compiling for nine JVMs took a third of a short run's CPU (a grade of the
     * 2PC cases: 201 s of CPU and 106 s with C2, 132 s and 72 s without).
     */
    public void peakNodes() {
        peak = true;
    }

    /** The nodes told they are live (empty: every node). */
    public List<String> live() {
        return live;
    }

    /** Whether node {@code id} is running and may talk to its group (not cut off by Live). */
    public boolean reachable(String id) {
        return running(id) && (live.isEmpty() || live.contains(id));
    }

    /** Whether a majority of group {@code g} is running and live: only then can it decide anything. */
    public boolean hasMajority(int g) {
        return group(g).stream().filter(this::reachable).count() >= replicas / 2 + 1;
    }

    /**
     * Starts G groups of R fresh nodes (their old logs are wiped) and waits for every Hello. Refuses,
     * touching nothing, if a node of those logs is still running (it holds its lock): its logs are
     * in use. If nodes fail to start, every failure is reported, and the nodes that did start are
     * stopped again.
     */
    public void start(int g, int r) throws ClusterException {
        checkSize(g, r);
        if (groups > 0) {
            throw new ClusterException("a cluster is already running");
        }
        List<String> all = nodes(g * r);
        wipeAll(all);
        layout(g, r);
        LOG.info("starting {} groups of {} nodes", g, r);
        startNodes(all, List.of());
    }

    private void checkSize(int g, int r) throws ClusterException {
        if (g * r > cfg.maxNodes()) {
            throw new ClusterException(g + " groups of " + r + " need " + g * r + " nodes; the config has " + cfg.maxNodes());
        }
    }

    /** The cluster is G groups of R from now on: the master authenticates nodes of that layout, and writes the clients' key. */
    private void layout(int g, int r) throws ClusterException {
        groups = g;
        replicas = r;
        synod.runtime.Layout layout = synod.runtime.Layout.of(g, r);
        transport.authenticate(synod.runtime.Auth.master(key, layout.toString(), Set.copyOf(layout.nodes())));
        if (key != null) {
            try {
                key.forClients().save(logs.resolve(synod.runtime.ClusterKey.CLIENT_FILE));
            } catch (IOException e) {
                throw new ClusterException("cannot write the client key: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Spawns {@code fresh} (their logs wiped) and waits for a Hello from each of them and of
     * {@code resetting} (nodes told to {@link Control.Reset}, which dial anew). If any fails, every
     * failure is reported and the whole cluster is stopped.
     */
    private void startNodes(List<String> fresh, List<String> resetting) throws ClusterException {
        for (String id : fresh) {
            spawn(id);
        }
        List<String> failures = new ArrayList<>();
        List<String> all = new ArrayList<>(resetting);
        all.addAll(fresh);
        all.sort(Comparator.comparingInt(ClusterConfig::number));
        for (String id : all) {
            try {
                awaitHello(id);
            } catch (ClusterException e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            stop();
            throw new ClusterException(String.join("; ", failures));
        }
    }

    /**
     * Wipes the logs of {@code ids}, each while holding its lock, so that no node can start on it
     * meanwhile; or, if any of them is held by a running node, refuses before wiping any, naming
     * every such node, its pid and how to stop it.
     */
    private void wipeAll(List<String> ids) throws ClusterException {
        List<synod.runtime.NodeLock> held = new ArrayList<>();
        try {
            List<String> running = new ArrayList<>();
            List<String> pids = new ArrayList<>();
            for (String id : ids) {
                Path dir = logs.resolve(id);
                synod.runtime.NodeLock lock = synod.runtime.NodeLock.tryTake(dir);
                if (lock == null) {
                    pids.add(synod.runtime.NodeLock.pidOf(dir));
                    running.add(id + " (pid " + pids.get(pids.size() - 1) + ")");
                } else {
                    held.add(lock);
                }
            }
            if (!running.isEmpty()) {
                boolean one = running.size() == 1;
                throw new ClusterException("refusing to start: " + String.join(", ", running) + (one ? " is" : " are")
                        + " still running on " + logs + " (started by hand, or by another master) and "
                        + (one ? "holds its" : "hold their") + " logs; stop " + (one ? "it" : "them") + " with: kill "
                        + String.join(" ", pids));
            }
            for (String id : ids) {
                wipe(logs.resolve(id));
            }
        } catch (IOException e) {
            throw new ClusterException("cannot lock the logs in " + logs + ": " + e.getMessage(), e);
        } finally {
            for (synod.runtime.NodeLock l : held) {
                try {
                    l.close();
                } catch (IOException e) {
                    LOG.warn("cannot release a node lock: {}", e.toString());
                }
            }
        }
    }

    /** Deletes the files of a node directory whose lock this master holds (the lock file and a trace stay). */
    private static void wipe(Path dir) throws ClusterException {
        try {
            if (Files.exists(dir)) {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        String name = f.getFileName().toString();
                        // a traced run's events stay: the picture shows every cluster the run started
                        if (!name.equals("lock") && !name.equals(synod.runtime.Trace.FILE)) {
                            Files.deleteIfExists(f);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new ClusterException("cannot wipe " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Starts node {@code id}'s JVM; it recovers from its log if it has one. */
    public void spawn(String id) throws ClusterException {
        Process old = processes.get(id);
        if (old != null && old.isAlive()) {
            return;
        }
        hellos.put(id, new CompletableFuture<>());
        List<String> cmd = new ArrayList<>(launcher.apply(id));
        cmd.addAll(ProcessCluster.nodeJvm(cfg.nodeHeap(), "synod.runtime.PaxosMain", peak));
        cmd.addAll(List.of("--id", id,
                "--group", String.join(",", group(groupOf(id))), "--layout", groups + "x" + replicas,
                "--master", cfg.masterHostPort().toString(),
                "--logs", logs.toString(), "--seed", String.valueOf(seed)));
        if (configFile != null) {
            cmd.addAll(List.of("--config", configFile.toAbsolutePath().toString()));
        }
        try {
            Files.createDirectories(logs.resolve(id));
            if (key != null) {
                key.save(logs.resolve(id).resolve(synod.runtime.ClusterKey.FILE));
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(id).resolve("node.out").toFile())).start();
            processes.put(id, p); // the node writes logs/ID/pid itself, once it holds its lock
            LOG.info("spawned {} as pid {}", id, p.pid());
        } catch (IOException e) {
            throw new ClusterException("cannot start " + id + ": " + e.getMessage(), e);
        }
    }

    public void awaitHello(String id) throws ClusterException {
        long deadline = EventLoop.nowMillis() + cfg.startMillis();
        while (true) {
            try {
                hellos.get(id).get(50, TimeUnit.MILLISECONDS);
                return;
            } catch (java.util.concurrent.TimeoutException e) {
                Process p = processes.get(id);
                if (p != null && !p.isAlive()) {
                    throw new ClusterException(id + " exited with status " + p.exitValue() + " before connecting"
                            + lastWords(id) + " (see " + logs.resolve(id) + ")");
                }
                if (EventLoop.nowMillis() > deadline) {
                    throw new ClusterException(id + " did not connect within " + cfg.startMillis() + " ms");
                }
            } catch (Exception e) {
                throw new ClusterException("waiting for " + id + ": " + e, e);
            }
        }
    }

    /** ": " and the last line the node printed (to its node.out), or "" if it printed nothing. */
    private String lastWords(String id) {
        try {
            List<String> lines = Files.readAllLines(logs.resolve(id).resolve("node.out"));
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank() && !lines.get(i).startsWith("usage:")) {
                    return ": " + lines.get(i).strip();
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot read {}'s node.out: {}", id, e.toString());
        }
        return "";
    }

    /** Up: this master's child is alive, or the node (restarted by hand, say) is connected. */
    public boolean running(String id) {
        Process p = processes.get(id);
        return (p != null && p.isAlive()) || connected.contains(id);
    }

    /** kill -9, and wait until the process is gone; a node started by hand is found by its pid file. */
    public void kill(String id) {
        Process p = processes.get(id);
        ProcessHandle h = p != null && p.isAlive() ? p.toHandle() : byPidFile(id);
        if (h != null && h.isAlive()) {
            traceKill(id);
            h.destroyForcibly();
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("{} (pid {}) did not exit after kill -9: {}", id, h.pid(), e.toString());
            }
        }
        connected.remove(id);
    }

    private static void traceKill(String id) {
        synod.runtime.Trace t = synod.runtime.Trace.get();
        if (t != null) {
            t.note("kill", "kill -9", "target", id);
        }
    }

    /** The node process named by logs/ID/pid, if it is connected to us (so the pid is its own). */
    private ProcessHandle byPidFile(String id) {
        if (!connected.contains(id)) {
            return null;
        }
        try {
            long pid = Long.parseLong(Files.readString(logs.resolve(id).resolve("pid")).strip());
            return ProcessHandle.of(pid).filter(h -> h.info().commandLine().orElse("").contains("synod.runtime.PaxosMain"))
                    .orElse(null);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /**
     * Stops the whole cluster: kill -9 of every node (reaped before this returns) and every client
     * request forgotten, so nothing of it can reach a cluster started afterwards. Then {@link #start}
     * may run again (with fresh logs): a CSE535 Project 3 FLUSH.
     */
    public void stop() {
        Set<String> all = new java.util.TreeSet<>(processes.keySet());
        all.addAll(connected);
        List<ProcessHandle> dying = new ArrayList<>();
        for (String id : all) {
            Process p = processes.get(id);
            ProcessHandle h = p != null && p.isAlive() ? p.toHandle() : byPidFile(id);
            if (h != null && h.isAlive()) {
                traceKill(id);
                h.destroyForcibly();
                dying.add(h);
            }
        }
        for (ProcessHandle h : dying) {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("pid {} did not exit after kill -9: {}", h.pid(), e.toString());
            }
        }
        forgetClients();
        processes.clear();
        hellos.clear();
        connected.clear();
        forgetSettings();
        LOG.info("stopped every node ({})", all);
    }

    /** Every client request forgotten (on the loop thread), so none can reach the next cluster. */
    private void forgetClients() {
        CompletableFuture<Void> cleared = new CompletableFuture<>();
        loop.execute(() -> {
            clients.clear();
            armedAny = false;
            cleared.complete(null);
        });
        cleared.join();
    }

    /** What the master told the stopped cluster (live set, loss, latency, placement), forgotten. */
    private void forgetSettings() {
        live = List.of();
        dropRate = 0;
        delay = new long[] {0, 0};
        ranges = List.of();
        placement = new synod.app.Placement();
        groups = 0;
        replicas = 0;
    }

    /**
     * A FLUSH (CSE535 Project 3): the cluster of G groups of R afresh on wiped logs, as {@link #stop}
     * then {@link #start} make it, but keeping the JVMs of the nodes this master spawned that are
     * still up, with their compiled code: a JVM start is most of what a FLUSH costs. Every such node
     * is first frozen ({@link Control.Freeze}: it closes every connection but the master's, dials
     * no peer, sends nothing) and only once all have said so is any reset, so that no message of
     * the old cluster can reach a node of the new one. A node that does not answer in time, and
     * every other node (killed, started by hand), is killed and started anew as {@link #stop} does.
     */
    public void flush(int g, int r) throws ClusterException {
        checkSize(g, r);
        List<String> kept = groups > 0 ? reusable(g * r) : List.of();
        if (kept.isEmpty()) {
            stop();
            start(g, r);
            return;
        }
        List<String> reset = freeze(kept);
        Set<String> others = new java.util.TreeSet<>(processes.keySet());
        others.addAll(connected);
        for (String id : others) {
            if (!reset.contains(id)) {
                kill(id); // every node not frozen is gone before any is reset (and those the layout has no room for)
                processes.remove(id);
                hellos.remove(id); // as stop() forgets them: a node the new layout has no room for may not dial in
            }
        }
        forgetClients();
        forgetSettings();
        List<String> fresh = new ArrayList<>(nodes(g * r));
        fresh.removeAll(reset);
        wipeAll(fresh);
        layout(g, r); // before the resets: the nodes dial this master anew, in the new layout
        CompletableFuture<Void> asked = new CompletableFuture<>();
        loop.execute(() -> {
            for (String id : reset) {
                hellos.put(id, new CompletableFuture<>());
                transport.send(id, new Control.Reset(g, r));
            }
            asked.complete(null);
        });
        asked.join();
        startNodes(fresh, reset);
        LOG.info("FLUSH to {}x{}: reset {} in their JVMs, started {} anew", g, r, reset, fresh);
    }

    /** Sends every node of {@code ids} a Freeze; returns those that answered Frozen within startMillis of it. */
    private List<String> freeze(List<String> ids) {
        Map<String, CompletableFuture<Void>> acks = new java.util.TreeMap<>();
        ids.forEach(id -> acks.put(id, new CompletableFuture<>()));
        frozen = acks;
        loop.execute(() -> ids.forEach(id -> transport.send(id, new Control.Freeze())));
        List<String> answered = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(cfg.startMillis());
        for (String id : ids) {
            try {
                acks.get(id).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                answered.add(id);
            } catch (Exception e) {
                LOG.warn("{} did not answer the Freeze ({}): killed and started anew", id, e.toString());
            }
        }
        frozen = Map.of();
        return answered;
    }

    /** n1..nN. */
    private static List<String> nodes(int n) {
        List<String> ids = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            ids.add("n" + k);
        }
        return ids;
    }

    /** The nodes up to n{@code n} this master spawned that are up and connected: their JVMs can be reset in place. */
    private List<String> reusable(int n) {
        List<String> ids = new ArrayList<>();
        processes.forEach((id, p) -> {
            if (ClusterConfig.number(id) <= n && p.isAlive() && connected.contains(id)) {
                ids.add(id);
            }
        });
        ids.sort(Comparator.comparingInt(ClusterConfig::number));
        return ids;
    }

    /**
     * Makes {@code wanted.get(g - 1)} the leader of group g, for every group, within {@code millis}:
     * each campaigns at once (before the other nodes' election timers run out), and again every
     * 100 ms while another leads or nobody does (a node campaigns only as a follower, so asking
     * again only restarts an election that lost). True if all of them lead in the end.
     */
    public boolean elect(List<String> wanted, long millis) {
        long deadline = EventLoop.nowMillis() + millis;
        wanted.forEach(this::campaign);
        long nextCampaign = EventLoop.nowMillis() + 100;
        while (true) {
            boolean all = true;
            boolean again = EventLoop.nowMillis() >= nextCampaign;
            for (int g = 1; g <= wanted.size(); g++) {
                if (!wanted.get(g - 1).equals(leader(g))) {
                    all = false;
                    if (again) {
                        campaign(wanted.get(g - 1));
                    }
                }
            }
            if (all) {
                return true;
            }
            if (again) {
                nextCampaign = EventLoop.nowMillis() + 100;
            }
            if (EventLoop.nowMillis() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10); // polling the nodes: the election happens in other processes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Tells node {@code id} to start an election now (unless it leads already). */
    public void campaign(String id) {
        loop.execute(() -> transport.send(id, new Control.Campaign()));
    }

    public void setLive(List<String> nodes) {
        live = List.copyOf(nodes);
        loop.execute(() -> processes.keySet().forEach(id -> transport.send(id, new Control.SetLive(live))));
    }

    public void setDropRate(double rate) {
        dropRate = rate;
        loop.execute(() -> processes.keySet().forEach(id ->
                transport.send(id, new Control.SetDropRate(rate, seed * 1000 + ClusterConfig.number(id)))));
    }

    /**
     * Every node sends each message to a peer {@code delayMicros} plus a seeded jitter of up to
     * {@code jitterMicros} late, from now on; each node's delays come from the run's seed.
     */
    public void setDelay(long delayMicros, long jitterMicros) {
        delay = new long[] {delayMicros, jitterMicros};
        loop.execute(() -> processes.keySet().forEach(id -> transport.send(id, delayControl(id))));
    }

    private Control.SetDelay delayControl(String id) {
        long[] d = delay;
        return new Control.SetDelay(d[0], d[1], seed * 1000 + 500 + ClusterConfig.number(id));
    }

    public void crashAt(String id, String point) {
        loop.execute(() -> transport.send(id, new Control.CrashAt(point, null)));
    }

    /**
     * Arms every connected node; only the first to reach the point exits (it creates the claim file
     * first), and when it has, the others are disarmed.
     */
    public void crashAtAny(String point) throws ClusterException {
        Path claim = logs.resolve("crash-any.claim").toAbsolutePath(); // the previous one's is spent
        try {
            Files.deleteIfExists(claim);
        } catch (IOException e) {
            throw new ClusterException("cannot prepare " + claim + ": " + e.getMessage(), e);
        }
        loop.execute(() -> {
            armedAny = true;
            connected.forEach(id -> transport.send(id, new Control.CrashAt(point, claim.toString())));
        });
    }

    /** Asks node {@code id}; null if it is down or does not answer within {@code millis}. */
    public List<String> query(String id, String what, long arg, long millis) {
        return queryAll(List.of(id), what, arg, millis).get(0);
    }

    /** Asks every node of {@code ids} at once; each answer is null if it is down or silent for {@code millis}. */
    public List<List<String>> queryAll(List<String> ids, String what, long arg, long millis) {
        List<Long> seqs = new ArrayList<>();
        List<CompletableFuture<List<String>>> answers = new ArrayList<>();
        for (String id : ids) {
            long s = seq.incrementAndGet();
            CompletableFuture<List<String>> f = new CompletableFuture<>();
            seqs.add(s);
            answers.add(f);
            if (!running(id)) {
                f.complete(null);
                continue;
            }
            queries.put(s, f);
            loop.execute(() -> {
                if (!transport.send(id, new Control.Query(s, what, arg))) {
                    f.complete(null);
                }
            });
        }
        long end = EventLoop.nowMillis() + millis;
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            try {
                out.add(answers.get(i).get(Math.max(0, end - EventLoop.nowMillis()), TimeUnit.MILLISECONDS));
            } catch (Exception e) {
                out.add(null);
            } finally {
                queries.remove(seqs.get(i));
            }
        }
        return out;
    }

    /**
     * Waits (at most {@code millis}) until every running node of group {@code g} has applied the
     * same prefix of the log and everything it accepted, so that prints show settled state: not a
     * follower a message behind, nor nodes just restarted whose log a new leader has yet to re-decide.
     * Nodes cut off by Live are not waited for (they print what they have).
     */
    public void settle(int g, long millis) {
        long end = EventLoop.nowMillis() + millis;
        while (EventLoop.nowMillis() < end) {
            java.util.Set<String> applied = new java.util.TreeSet<>();
            boolean behind = false;
            boolean silent = false;
            // a node cut off by Live cannot catch up: waiting for it would only run out the clock
            List<String> ids = group(g).stream().filter(this::reachable).toList();
            List<List<String>> infos = queryAll(ids, "info", 0, 500);
            for (int i = 0; i < ids.size(); i++) {
                List<String> info = infos.get(i);
                if (info != null) {
                    applied.add(info.get(3));
                    // accepted but not applied yet (after a restart, until a new leader re-decides)
                    behind |= Long.parseLong(info.get(3)) <= Long.parseLong(info.get(5));
                } else {
                    // running but slow to answer (a JVM just restarted, say): not known to be settled,
                    // so wait for it rather than settle without it and print its state half caught up
                    silent |= running(ids.get(i));
                }
            }
            // without a majority nothing accepted can be decided: waiting for it would only run out the clock
            if (!silent && applied.size() <= 1 && (!behind || !hasMajority(g))) {
                return;
            }
            if (!pause()) {
                return;
            }
        }
    }

    /**
     * Waits 10 ms between two polls of the nodes (the condition polled lives in other processes);
     * false if the thread was interrupted (its flag set again), and the poll should stop.
     */
    static boolean pause() {
        try {
            Thread.sleep(10);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits (at most {@code millis}) until group {@code g} has a leader; returns it, or null. */
    public String awaitLeader(int g, long millis) {
        long end = EventLoop.nowMillis() + millis;
        for (String leader = leader(g); ; leader = leader(g)) {
            if (leader != null || EventLoop.nowMillis() >= end) {
                return leader;
            }
            try {
                Thread.sleep(20); // polling the nodes: the election happens in other processes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /** The node of group {@code g} that a majority of its live members follow, or null. */
    public String leader(int g) {
        Map<String, Integer> votes = new java.util.TreeMap<>();
        for (List<String> info : queryAll(group(g), "info", 0, 1000)) {
            if (info != null && !info.get(1).equals("null")) {
                votes.merge(info.get(1), 1, Integer::sum);
            }
        }
        return votes.entrySet().stream().filter(e -> e.getValue() >= replicas / 2 + 1)
                .max(Comparator.comparingInt(Map.Entry::getValue)).map(Map.Entry::getKey).orElse(null);
    }

    // ---- clients ----

    /**
     * Where the grant of a lock a script client waited for goes when it arrives as a notice (another
     * client, a bin/client say, released it); loop thread. Each grant is handed on once.
     */
    public void onGrant(java.util.function.Consumer<PaxosMsg.Notice> handler) {
        clients.onNotice(handler);
    }

    /** Submits {@code op} for {@code client} to group {@code g}; the future completes with its result. */
    public CompletableFuture<Result> submit(String client, long requestSeq, Op op, int g) {
        return clients.submit(client, requestSeq, op, g);
    }

    /** How many times a request was resent because it met an item locked by a 2PC (a busy answer). */
    public long busyRetries() {
        return clients.busyRetries();
    }

    // ---- loop thread ----

    @Override
    public void onMessage(String from, Message m) {
        if (m instanceof Control.Hello) {
            CompletableFuture<Void> h = hellos.get(from);
            if (h == null) {
                throw new BadMessage("unknown node " + from + " dialled the master");
            }
            if (!live.isEmpty()) {
                transport.send(from, new Control.SetLive(live));
            }
            if (dropRate > 0) {
                transport.send(from, new Control.SetDropRate(dropRate, seed * 1000 + ClusterConfig.number(from)));
            }
            if (delay[0] > 0 || delay[1] > 0) { // a node that restarts keeps the run's latency
                transport.send(from, delayControl(from));
            }
            connected.add(from);
            h.complete(null);
        } else if (m instanceof Control.Frozen) {
            CompletableFuture<Void> f = frozen.get(from);
            if (f == null) {
                throw new BadMessage(from + " says it is frozen, but was not asked to freeze");
            }
            f.complete(null);
        } else if (m instanceof Control.QueryReply q) {
            CompletableFuture<List<String>> f = queries.get(q.seq());
            if (f != null) {
                f.complete(q.lines());
            }
        } else if (!(m instanceof PaxosMsg pm && clients.onMessage(from, pm))) {
            throw new BadMessage("the master does not take " + m + " from " + from);
        }
    }

    @Override
    public void onDisconnected(String peer, boolean outbound) {
        connected.remove(peer);
        if (armedAny) {
            armedAny = false;
            connected.forEach(id -> transport.send(id, new Control.CrashAt("", null)));
        }
    }

    /** Kills every node and reaps it, those restarted by hand included. */
    @Override
    public void close() {
        for (String id : List.copyOf(connected)) {
            Process p = processes.get(id);
            if (p == null || !p.isAlive()) {
                kill(id);
            }
        }
        // Asked first, a node exits between two steps of its loop; killed, it may die in the middle
        // of appending to its log and leave a torn last line for its next start to cut.
        CompletableFuture<Void> asked = new CompletableFuture<>();
        loop.execute(() -> {
            processes.forEach((id, p) -> {
                if (p.isAlive() && connected.contains(id)) {
                    transport.send(id, new Control.Shutdown());
                }
            });
            asked.complete(null);
        });
        asked.completeOnTimeout(null, 1, TimeUnit.SECONDS).join();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (Process p : processes.values()) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        loop.execute(transport::close);
        loop.close();
    }
}
