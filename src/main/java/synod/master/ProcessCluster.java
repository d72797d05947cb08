package synod.master;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import synod.core.BadMessage;
import synod.core.Envelope;
import synod.core.Message;
import synod.runtime.ClusterConfig;
import synod.runtime.Control;
import synod.runtime.EventLoop;
import synod.runtime.FrameCodec;
import synod.runtime.Transport;
import synod.snapshot.BankMsg;

/**
 * {@link BankCluster} over real node JVMs: each {@code createNode} spawns one, waits for its Hello,
 * tells it and every existing node to dial each other, and returns once every new channel is up.
 * Calls go over the node's connection to this master and block (with a timeout) for the reply.
 * {@link #close} leaves no node process running.
 */
public final class ProcessCluster implements BankCluster, Transport.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessCluster.class);

    /** Where nodes log, how they are configured ({@code configFile} may be null: defaults). */
    public record Settings(Path logs, ClusterConfig config, Path configFile) {
        public static Settings defaults(Path logs) {
            return new Settings(logs, ClusterConfig.DEFAULT, null);
        }
    }

    private static final class Node {
        final String id;
        final Process process;
        final CompletableFuture<Integer> hello = new CompletableFuture<>();
        volatile int port;

        Node(String id, Process process) {
            this.id = id;
            this.process = process;
        }
    }

    /** A call to {@code node} whose answer also waits on every node in {@code involved}. */
    private record Pending(String node, Set<String> involved, CompletableFuture<Message> reply) {}

    private final Settings settings;
    private final EventLoop loop = new EventLoop("master-io");
    private final Transport transport;
    /** The bank's identity and secret (null with authentication off), given to every node it spawns. */
    private final synod.runtime.ClusterKey key;
    private final Map<String, Node> nodes = new ConcurrentHashMap<>();
    private final Map<Long, Pending> calls = new ConcurrentHashMap<>();
    /** Nodes whose connection to this master closed: they exit when it does, so they are gone. */
    private final Set<String> gone = ConcurrentHashMap.newKeySet();
    private final Map<String, CompletableFuture<Void>> links = new ConcurrentHashMap<>();
    private final AtomicLong seq = new AtomicLong();
    private final int port;
    private volatile boolean closed;

    public ProcessCluster(Settings settings) throws IOException {
        this.settings = settings;
        this.key = synod.runtime.ClusterKey.forMaster(settings.config());
        this.transport = new Transport(loop, new FrameCodec(settings.config().frameBytesMax()), Envelope.MASTER, this,
                settings.config().transportSettings(), synod.runtime.Auth.master(key, "bank", Set.of()));
        CompletableFuture<Integer> bound = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                bound.complete(transport.listen("127.0.0.1", 0));
            } catch (IOException e) {
                bound.completeExceptionally(e);
            }
        });
        loop.start();
        try {
            this.port = await(bound, 10_000, "master listen");
        } catch (ClusterException e) {
            loop.close();
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void createNodes(List<NewNode> fresh, List<String> peers) throws ClusterException {
        for (String p : peers) {
            requireRunning(p);
        }
        // Spawn every JVM first: their start-ups overlap, which is most of the time saved.
        for (NewNode n : fresh) {
            nodes.put(n.id(), spawn(n.id(), n.amount()));
        }
        List<String> failures = new ArrayList<>(); // every node that did not come up, not just the first
        for (NewNode n : fresh) {
            try {
                awaitHello(nodes.get(n.id()));
            } catch (ClusterException e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new ClusterException(String.join("; ", failures));
        }
        List<String> everyone = new ArrayList<>(peers);
        List<String[]> pairs = new ArrayList<>();
        for (NewNode n : fresh) {
            for (String p : everyone) {
                pairs.add(new String[] {n.id(), p});
            }
            everyone.add(n.id());
        }
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (String[] pair : pairs) {
            waits.add(links.computeIfAbsent(pair[0] + ">" + pair[1], k -> new CompletableFuture<>()));
            waits.add(links.computeIfAbsent(pair[1] + ">" + pair[0], k -> new CompletableFuture<>()));
        }
        loop.execute(() -> {
            for (String[] pair : pairs) {
                transport.send(pair[0], new Control.Connect(pair[1], "127.0.0.1", nodes.get(pair[1]).port));
                transport.send(pair[1], new Control.Connect(pair[0], "127.0.0.1", nodes.get(pair[0]).port));
            }
        });
        for (CompletableFuture<Void> w : waits) {
            await(w, settings.config().startMillis(), "nodes " + fresh + " linking with their peers");
        }
    }

    private Node spawn(String id, long amount) throws ClusterException {
        Path dir = settings.logs().resolve(id);
        try {
            Files.createDirectories(dir);
            if (key != null) {
                key.save(dir.resolve(synod.runtime.ClusterKey.FILE));
            }
            List<String> cmd = nodeJvm(settings.config().nodeHeap(), "synod.runtime.NodeMain");
            cmd.addAll(List.of("--id", id, "--master", "127.0.0.1:" + port, "--balance", String.valueOf(amount),
                    "--logs", settings.logs().toString()));
            if (settings.configFile() != null) {
                cmd.addAll(List.of("--config", settings.configFile().toAbsolutePath().toString()));
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("node.out").toFile()).start();
            Files.writeString(dir.resolve("pid"), p.pid() + "\n");
            LOG.info("spawned node {} as pid {}", id, p.pid());
            return new Node(id, p);
        } catch (IOException e) {
            throw new ClusterException("cannot start node " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * The CDS archive the build recorded beside the jar (make's target/node.jsa), if it is not older
     * than the jar: a stale archive would be ignored by the JVM anyway, after a warning.
     */
    private static java.util.Optional<Path> nodeArchive() {
        String cp = nodeClassPath();
        if (!cp.endsWith(".jar") || cp.contains(java.io.File.pathSeparator)) {
            return java.util.Optional.empty();
        }
        Path jar = Path.of(cp);
        Path jsa = jar.resolveSibling("node.jsa");
        try {
            if (Files.exists(jsa) && Files.getLastModifiedTime(jsa).compareTo(Files.getLastModifiedTime(jar)) >= 0) {
                return java.util.Optional.of(jsa);
            }
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}", jsa, e.toString());
        }
        return java.util.Optional.empty();
    }

    /**
     * The command line that starts a node JVM: small heap, serial GC, C1 only (start-up matters
     * more than peak speed on 2 cores), the build's CDS archive, this JVM's class path; append
     * the main class's own arguments.
     */
    private static volatile boolean traceNodes;

    /** Whether node JVMs spawned from now on record their events ({@code --trace}). */
    public static void traceNodes(boolean on) {
        traceNodes = on;
    }

    static List<String> nodeJvm(String heap, String mainClass) {
        return nodeJvm(heap, mainClass, false);
    }

    /** As above; with {@code peak}, both JIT compilers, for nodes that live long and work hard. */
    static List<String> nodeJvm(String heap, String mainClass, boolean peak) {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx" + heap, "-Xss512k", "-XX:+UseSerialGC",
                "-XX:-UsePerfData"));
        if (!peak) {
            cmd.add("-XX:TieredStopAtLevel=1");
        }
        nodeArchive().ifPresent(jsa -> cmd.add("-XX:SharedArchiveFile=" + jsa));
        // For benchmarks and profiling only (a C1-only run, JFR): extra JVM flags for every node.
        String extra = System.getenv("SYNOD_NODE_OPTS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-cp", nodeClassPath(), mainClass));
        if (traceNodes) {
            cmd.add("--trace"); // a traced master's nodes record their events too
        }
        return cmd;
    }

    /**
     * A node's class path: the product's jar alone when this JVM runs from it (a benchmark's JVM also
     * has target/synod-bench.jar, which nodes never need and which would keep the CDS archive from
     * matching), else this JVM's class path (tests, which run from target/classes).
     */
    private static String nodeClassPath() {
        java.security.CodeSource source = ProcessCluster.class.getProtectionDomain().getCodeSource();
        if (source != null && source.getLocation().getPath().endsWith(".jar")) {
            try {
                return Path.of(source.getLocation().toURI()).toString();
            } catch (java.net.URISyntaxException e) {
                LOG.warn("cannot locate the product's jar ({}); nodes get this JVM's class path", e.toString());
            }
        }
        return System.getProperty("java.class.path");
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void awaitHello(Node node) throws ClusterException {
        long deadline = EventLoop.nowMillis() + settings.config().startMillis();
        while (true) {
            try {
                node.hello.get(50, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                if (!node.process.isAlive()) {
                    throw new ClusterException("node " + node.id + " exited with status " + node.process.exitValue()
                            + " before connecting (see " + settings.logs().resolve(node.id) + ")");
                }
                if (EventLoop.nowMillis() > deadline) {
                    throw new ClusterException("node " + node.id + " did not connect within " + settings.config().startMillis() + " ms");
                }
            } catch (InterruptedException | ExecutionException e) {
                throw new ClusterException("waiting for node " + node.id + ": " + e, e);
            }
        }
    }

    @Override
    /**
     * Only {@code from} is waited on: if {@code to} goes down meanwhile, {@code from} notices its
     * channel break and answers itself. If this master knows already that {@code to} is gone, the
     * Send is refused as {@code from} would refuse it, before anything is debited.
     */
    public BankMsg.Done send(String from, String to, long amount) throws ClusterException {
        requireRunning(from);
        if (nodes.containsKey(to) && (gone.contains(to) || !nodes.get(to).process.isAlive())) {
            throw new ClusterException("channel to node " + to + " is down; nothing sent");
        }
        long s = seq.incrementAndGet();
        return (BankMsg.Done) call(from, Set.of(from), s, new BankMsg.SendMoney(s, to, amount));
    }

    @Override
    public BankMsg.Done take(String to, String from) throws ClusterException {
        long s = seq.incrementAndGet();
        return (BankMsg.Done) call(to, Set.of(to), s, new BankMsg.Take(s, from));
    }

    @Override
    public BankMsg.Done begin(String id, long snapshot) throws ClusterException {
        long s = seq.incrementAndGet();
        return (BankMsg.Done) call(id, Set.copyOf(nodes.keySet()), s, new BankMsg.Begin(s, snapshot));
    }

    @Override
    public BankMsg.Report collect(String id, long snapshot) throws ClusterException {
        long s = seq.incrementAndGet();
        return (BankMsg.Report) call(id, Set.of(id), s, new BankMsg.Collect(s, snapshot));
    }

    /**
     * Sends {@code command} to node {@code id} and waits for its answer. {@code involved} are the
     * nodes the answer waits on (the node itself, and any peer it must hear an ack from): if one is
     * gone before or during the call, the call fails at once instead of running into the timeout.
     * A Take is counted as involving only its node, though taking a marker waits on every peer: the
     * node itself answers at once, with an error, when a peer's channel breaks (BankNode.onPeerDown).
     */
    private Message call(String id, Set<String> involved, long s, BankMsg command) throws ClusterException {
        for (String n : involved) {
            requireRunning(n);
        }
        CompletableFuture<Message> reply = new CompletableFuture<>();
        calls.put(s, new Pending(id, involved, reply));
        loop.execute(() -> {
            // On the loop, ordered with onDisconnected: either it already marked a node gone, or it
            // will find this call pending.
            for (String n : involved) {
                if (gone.contains(n)) {
                    reply.completeExceptionally(new IOException("node " + n + " is not connected"));
                    return;
                }
            }
            if (!transport.send(id, command)) {
                reply.completeExceptionally(new IOException("node " + id + " is not connected"));
            }
        });
        try {
            return await(reply, settings.config().commandMillis(), "node " + id + " " + doing(command));
        } finally {
            calls.remove(s);
        }
    }

    /** What a node does for {@code command}, in the script's words. */
    private static String doing(BankMsg command) {
        if (command instanceof BankMsg.SendMoney m) {
            return "sending " + m.amount() + " to node " + m.to();
        }
        if (command instanceof BankMsg.Take t) {
            return "receiving" + (t.from() == null ? "" : " from node " + t.from());
        }
        return command instanceof BankMsg.Begin ? "beginning the snapshot" : "reporting its snapshot state";
    }

    private void requireRunning(String id) throws ClusterException {
        Node node = nodes.get(id);
        if (node == null || !node.process.isAlive() || gone.contains(id)) {
            throw new ClusterException("node " + id + " is not running");
        }
    }

    private static <T> T await(CompletableFuture<T> f, long millis, String what) throws ClusterException {
        try {
            return f.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ClusterException("timed out after " + millis + " ms: " + what);
        } catch (ExecutionException e) {
            throw new ClusterException(what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted: " + what, e);
        }
    }

    // ---- loop thread ----

    @Override
    public void onMessage(String from, Message m) {
        Node node = nodes.get(from);
        if (node == null) {
            throw new BadMessage("unknown node " + from + " dialled the master");
        }
        if (m instanceof Control.Hello h) {
            node.port = h.port();
            node.hello.complete(h.port());
        } else if (m instanceof Control.Linked l) {
            links.computeIfAbsent(from + ">" + l.peer(), k -> new CompletableFuture<>()).complete(null);
        } else if (m instanceof BankMsg.Done d) {
            complete(from, d.seq(), d);
        } else if (m instanceof BankMsg.Report r) {
            complete(from, r.seq(), r);
        } else {
            throw new BadMessage("unexpected " + m);
        }
    }

    private void complete(String from, long s, Message m) {
        Pending p = calls.get(s);
        if (p == null || !p.node().equals(from)) {
            throw new BadMessage("reply " + m + " matches no call to " + from);
        }
        p.reply().complete(m);
    }

    @Override
    public void onDisconnected(String peer, boolean outbound) {
        if (closed) {
            return;
        }
        LOG.warn("node {} disconnected", peer);
        gone.add(peer);
        for (Pending p : calls.values()) {
            if (p.involved().contains(peer)) {
                p.reply().completeExceptionally(new IOException("node " + peer + " vanished"));
            }
        }
    }

    /** Asks every node to exit, kills any that has not after a grace period, and reaps them all. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        CompletableFuture<Void> asked = new CompletableFuture<>();
        loop.execute(() -> {
            nodes.keySet().forEach(id -> transport.send(id, new Control.Shutdown()));
            asked.complete(null);
        });
        asked.completeOnTimeout(null, 1, TimeUnit.SECONDS).join();
        for (Node n : nodes.values()) {
            reap(n);
        }
        loop.execute(transport::close);
        loop.close();
    }

    private void reap(Node n) {
        try {
            if (!n.process.waitFor(2, TimeUnit.SECONDS)) {
                LOG.warn("node {} did not exit; killing pid {}", n.id, n.process.pid());
                n.process.destroyForcibly();
                n.process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            n.process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Kills every node process at once and reaps them; for a shutdown hook (a signal). */
    public void killNow() {
        nodes.values().forEach(n -> n.process.destroyForcibly());
        for (Node n : nodes.values()) {
            try {
                n.process.waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
