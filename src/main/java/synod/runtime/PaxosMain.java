package synod.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.slf4j.LoggerFactory;
import synod.app.Services;
import synod.paxos.PaxosConfig;
import synod.paxos.PaxosNode;

/**
 * {@code bin/node --id N}: one Multi-Paxos node, one JVM. Started by the master or by hand (after a
 * kill -9, say): either way it replays {@code logs/nN/paxos.log} and rejoins its group. Its group
 * is given by {@code --group} at first start and remembered in {@code logs/nN/group}; the whole
 * cluster's {@link Layout} likewise by {@code --layout GxR} and {@code logs/nN/layout} (without
 * one, the node's own group is the whole cluster).
 */
public final class PaxosMain {
    private PaxosMain() {}

    public static void main(String[] args) {
        Options opts = new Options()
                .addOption(Option.builder().longOpt("id").hasArg().required().desc("node: 3 or n3").build())
                .addOption(Option.builder().longOpt("config").hasArg().desc("cluster config (default config/cluster.json)").build())
                .addOption(Option.builder().longOpt("logs").hasArg().desc("log directory (default logs)").build())
                .addOption(Option.builder().longOpt("group").hasArg().desc("members, e.g. n1,n2,n3 (default: remembered, else n1..n5)").build())
                .addOption(Option.builder().longOpt("layout").hasArg().desc("the whole cluster, GxR: G groups of R nodes (default: remembered, else the node's group alone)").build())
                .addOption(Option.builder().longOpt("master").hasArg().desc("host:port of the master that spawned me; I exit when it goes").build())
                .addOption(Option.builder().longOpt("seed").hasArg().desc("seed of this node's random choices").build())
                .addOption(Option.builder().longOpt("trace").desc("record this node's events in logs/nN/trace.jsonl (bin/master --trace passes it)").build())
                .addOption(Option.builder().longOpt("help").desc("this help").build());
        String usage = "usage: bin/node --id N [--config FILE] [--logs DIR] [--group n1,n2,n3] [--layout GxR] [--seed N]";
        CommandLine cl;
        try {
            cl = new DefaultParser().parse(opts, args);
        } catch (ParseException e) {
            if (List.of(args).contains("--help")) {
                new org.apache.commons.cli.HelpFormatter().printHelp(usage.substring("usage: ".length()), opts);
                return;
            }
            System.err.println("node: " + e.getMessage() + "\n" + usage);
            System.exit(2);
            return;
        }
        if (cl.hasOption("help")) {
            new org.apache.commons.cli.HelpFormatter().printHelp(usage.substring("usage: ".length()), opts);
            return;
        }
        try {
            // One incarnation after another in this JVM: the loop of each runs until the master
            // resets the node (a CSE535 FLUSH keeps the JVMs, and so their compiled code).
            Layout next = null;
            for (boolean first = true; ; first = false) {
                Incarnation in = run(cl, first, next);
                in.loop().join();
                if (!in.host().resetAsked()) {
                    return;
                }
                in.disk().close();
                wipe(in.dir());
                next = in.host().resetLayout();
            }
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("node: " + e.getMessage() + "\n" + usage);
            System.exit(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One life of the node in this JVM: its loop, its host, its log and log directory. */
    private record Incarnation(EventLoop loop, PaxosHost host, FileLog disk, Path dir) {}

    /** What a reset keeps of a node's directory: who and where it is, its key, and its diagnostics. */
    private static final Set<String> KEPT = Set.of("lock", "pid", "layout", "group", ClusterKey.FILE,
            "node.out", "node.log", "node.previous.log", Trace.FILE);

    /** Deletes the node's state (its Paxos log above all) for a fresh start; the files of {@link #KEPT} stay. */
    private static void wipe(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                if (!KEPT.contains(f.getFileName().toString())) {
                    Files.delete(f);
                }
            }
        }
    }

    /**
     * Starts an incarnation of the node: {@code first} in this JVM (then it takes the directory's
     * lock and points the diagnostics at it, both held for the life of the process), or after a reset
     * to the layout {@code reset} (which then stands for {@code --layout} and {@code --group}).
     */
    private static Incarnation run(CommandLine cl, boolean first, Layout reset) throws IOException {
        ClusterConfig cfg = ClusterConfig.load(Path.of(cl.getOptionValue("config", "config/cluster.json")),
                cl.hasOption("config"));
        int k = ClusterConfig.number(cl.getOptionValue("id"));
        if (k < 1) {
            throw new IllegalArgumentException("--id takes a node number, 3 or n3; got '" + cl.getOptionValue("id") + "'");
        }
        String id = "n" + k;
        // the id against the config, and its address against this machine's, before its logs are touched
        InetSocketAddress me = cfg.hostPort(id).mustBeLocal(id + "'s address");
        Path dir = Path.of(cl.getOptionValue("logs", "logs")).resolve(id);
        // Everything that can be refused is checked before the directory is touched.
        Layout given = reset != null ? reset
                : cl.hasOption("layout") ? Layout.parse(cl.getOptionValue("layout")) : null;
        Layout layout = given != null ? given : remembered(dir);
        List<String> givenGroup = reset != null ? reset.group(reset.groupOf(id))
                : cl.hasOption("group") ? Arrays.stream(cl.getOptionValue("group").split(",")).map(String::strip).toList()
                : null;
        List<String> group = group(givenGroup, dir, id, layout);
        List<InetSocketAddress> peers = new ArrayList<>();
        List<String> peerIds = new ArrayList<>();
        for (String p : (layout != null ? layout : Layout.single(group)).nodes()) {
            if (!p.equals(id)) { // every node of the cluster: 2PC speaks to the other groups' leaders
                peerIds.add(p);
                peers.add(resolved(p + "'s address", cfg.hostPort(p)));
            }
        }
        InetSocketAddress master = resolved("the master's address", cl.hasOption("master")
                ? HostPort.parse(cl.getOptionValue("master")) : cfg.masterHostPort());
        if (first) {
            lockNode(dir, id);
            Logs.toFile(dir.resolve("node.log"));
        }
        if (given != null) {
            Files.writeString(dir.resolve("layout"), given + "\n");
        }
        if (givenGroup != null) {
            Files.writeString(dir.resolve("group"), String.join(",", group) + "\n");
        }
        if (layout == null) {
            layout = Layout.single(group);
        }
        Files.writeString(dir.resolve("pid"), ProcessHandle.current().pid() + "\n");
        ClusterKey key = ClusterKey.required(dir, cfg);
        if (!cl.hasOption("master")) {
            long pid = ProcessHandle.current().pid();
            System.out.println(id + " (pid " + pid + ") of " + group + " listens on " + cfg.hostPort(id)
                    + "; logs in " + dir + "; it exits when the master it reaches exits, or stop it with kill " + pid);
        }

        if (cl.hasOption("trace")) {
            Trace.start(dir.getParent(), id).note("start", "started", "pid", ProcessHandle.current().pid());
        }
        FileLog disk = FileLog.open(dir.resolve("paxos.log"));
        var log = LoggerFactory.getLogger("paxos." + id);
        if (disk.tornTail() != null) {
            log.warn("cut a torn last line off paxos.log: {}", disk.tornTail());
        }
        long seed = Long.parseLong(cl.getOptionValue("seed", "380")) * 31 + k;
        int myGroup = layout.groupOf(id);
        Services services = new Services(myGroup, layout.groups().size());
        PaxosNode node = new PaxosNode(PaxosConfig.of(group).withFrameBytesMax(cfg.frameBytesMax()), id, services,
                new Random(seed));
        if (layout.groups().size() > 1) {
            node.enableTxn(layout.groups(), myGroup, services.txns(), synod.txn.TxnAgent.Timing.DEFAULT);
        }
        node.recover(PaxosHost.decode(disk));
        log.info("node {} of {} (layout {}, {}) recovered {} records; pid {}", id, group, layout,
                key == null ? "authentication off" : key, disk.recovered().size(), ProcessHandle.current().pid());

        EventLoop loop = new EventLoop("paxos-" + id);
        FrameCodec codec = new FrameCodec(cfg.frameBytesMax(), new MessageCheck(cfg.frameBytesMax(), group.size()));
        PaxosHost host = new PaxosHost(node, group, layout, disk, loop, codec,
                cfg.transportSettings(), cl.hasOption("master"), Auth.paxosNode(key, layout));
        host.start(me, peers, peerIds, master, cfg.tickMillis());
        loop.start();
        return new Incarnation(loop, host, disk, dir);
    }

    /** Held for the life of the process; a static field, so it is never collected and released. */
    private static NodeLock nodeLock;

    /**
     * Takes {@code logs/nN/lock}, or refuses to start: a second copy of a running node (started by
     * hand, say) would append to the same log and overwrite its pid file and diagnostic log. Done
     * before anything in the directory is touched. The lock goes with the process, kill -9 included.
     */
    private static void lockNode(Path dir, String id) throws IOException {
        nodeLock = NodeLock.tryTake(dir);
        if (nodeLock == null) {
            throw new IOException(id + " is already running on " + dir + " (pid " + NodeLock.pidOf(dir) + ", "
                    + dir.resolve("lock") + " is held); refusing to start a second copy");
        }
    }

    /** The layout remembered in {@code dir} from an earlier start, or null. */
    private static Layout remembered(Path dir) throws IOException {
        Path file = dir.resolve("layout");
        return Files.exists(file) ? Layout.parse(Files.readString(file)) : null;
    }

    /** The group given, or remembered, or the layout's, or n1..n5; checked against the id and the layout. */
    private static List<String> group(List<String> given, Path dir, String id, Layout layout) throws IOException {
        Path file = dir.resolve("group");
        List<String> group;
        if (given != null) {
            group = given;
        } else if (Files.exists(file)) {
            group = Arrays.stream(Files.readString(file).strip().split(",")).toList();
        } else if (layout != null && layout.groupOf(id) > 0) {
            group = layout.group(layout.groupOf(id));
        } else {
            group = List.of("n1", "n2", "n3", "n4", "n5");
        }
        if (!group.contains(id)) {
            throw new IllegalArgumentException(id + " is not in its group " + group);
        }
        if (layout != null && !group.equals(layout.groupOf(id) > 0 ? layout.group(layout.groupOf(id)) : List.of())) {
            throw new IllegalArgumentException(id + "'s group " + group + " is not its group in the layout " + layout);
        }
        return group;
    }

    /** A peer's or the master's socket address, refused if its host does not resolve (a typo in the config). */
    private static InetSocketAddress resolved(String who, HostPort a) throws IOException {
        InetSocketAddress s = a.socket();
        if (s.isUnresolved()) {
            throw new IOException(who + " " + a + ": the host \"" + a.host() + "\" does not resolve");
        }
        return s;
    }
}
