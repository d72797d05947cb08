package synod.master;

import synod.core.NodeIds;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import synod.master.BankCluster.ClusterException;
import synod.snapshot.BankMsg;

/**
 * Executes CS380D commands against a {@link BankCluster} and prints exactly the graded output.
 *
 * <p>The runner mirrors how many messages wait on every channel (each node reply says which channels
 * it pushed to), so a random {@code Receive} or {@code ReceiveAll} picks among non-empty channels
 * with the seeded {@link Random} alone, and a Receive on an empty channel is refused at once
 * instead of hanging. Invariant: the mirror equals the nodes' queue lengths; a node refusing a take
 * the mirror allowed is reported as a broken invariant.
 */
public final class BankRunner {
    private final BankCluster cluster;
    private final Random random;
    private final PrintStream out;
    private final Diagnostics diag;
    private final TreeSet<String> nodes = new TreeSet<>(NodeIds.ORDER);
    private final Map<Channel, Integer> depth = new TreeMap<>();
    private long snapshot = 0;
    private List<String> collected = null;
    private boolean killed = false;

    /** Where refusals and errors go (stderr in the real master), with the failing line number. */
    public interface Diagnostics {
        /** The command could not run as written; the exit status will say so. */
        void error(int line, String message);

        /** Worth knowing, but what was printed is still what a correct system prints. */
        default void warning(int line, String message) {}
    }

    /** A channel, ordered by source then destination in reading order. */
    record Channel(String from, String to) implements Comparable<Channel> {
        @Override
        public int compareTo(Channel o) {
            int c = NodeIds.ORDER.compare(from, o.from);
            return c != 0 ? c : NodeIds.ORDER.compare(to, o.to);
        }
    }

    public BankRunner(BankCluster cluster, Random random, PrintStream out, Diagnostics diag) {
        this.cluster = cluster;
        this.random = random;
        this.out = out;
        this.diag = diag;
    }

    /** Runs one command; a refusal or an operating error is reported and the run goes on. */
    public void run(Command c) {
        if (killed) {
            diag.error(c.line(), "the cluster was killed by KillAll; command ignored");
            return;
        }
        try {
            dispatch(c);
        } catch (Refusal r) {
            diag.error(c.line(), r.getMessage());
        } catch (ClusterException e) {
            diag.error(c.line(), e.getMessage());
        }
    }

    private void dispatch(Command c) throws Refusal, ClusterException {
        if (c instanceof Command.StartMaster) {
            return;
        } else if (c instanceof Command.CreateNode n) {
            createNodes(List.of(n));
            return;
        } else if (c instanceof Command.Send s) {
            send(s);
        } else if (c instanceof Command.Receive r) {
            receive(r);
        } else if (c instanceof Command.ReceiveAll) {
            receiveAll();
        } else if (c instanceof Command.BeginSnapshot b) {
            beginSnapshot(b);
        } else if (c instanceof Command.CollectState cs) {
            collectState(cs);
        } else if (c instanceof Command.PrintSnapshot) {
            printSnapshot();
        } else if (c instanceof Command.KillAll) {
            killed = true;
            cluster.close();
        } else {
            throw new Refusal("command not supported in a CS380D script: " + c);
        }
    }

    /**
     * Runs consecutive CreateNode lines together, so their JVMs start in parallel; each line is
     * still checked, and reported, on its own.
     */
    public void createNodes(List<Command.CreateNode> batch) {
        if (killed) {
            batch.forEach(c -> diag.error(c.line(), "the cluster was killed by KillAll; command ignored"));
            return;
        }
        List<Command.CreateNode> valid = new ArrayList<>();
        TreeSet<String> fresh = new TreeSet<>(NodeIds.ORDER);
        for (Command.CreateNode n : batch) {
            if (nodes.contains(n.id()) || !fresh.add(n.id())) {
                diag.error(n.line(), "node " + n.id() + " already exists");
            } else {
                valid.add(n);
            }
        }
        if (valid.isEmpty()) {
            return;
        }
        try {
            cluster.createNodes(valid.stream().map(n -> new BankCluster.NewNode(n.id(), n.amount())).toList(),
                    List.copyOf(nodes));
        } catch (ClusterException e) {
            diag.error(valid.get(0).line(), e.getMessage());
            return;
        }
        for (Command.CreateNode n : valid) {
            for (String p : nodes) {
                depth.put(new Channel(p, n.id()), 0);
                depth.put(new Channel(n.id(), p), 0);
            }
            nodes.add(n.id());
        }
    }

    private void send(Command.Send s) throws Refusal, ClusterException {
        requireNode(s.from());
        requireNode(s.to());
        if (s.from().equals(s.to())) {
            throw new Refusal("a node cannot send to itself");
        }
        settle(s.from(), cluster.send(s.from(), s.to(), s.amount()), true);
    }

    private void receive(Command.Receive r) throws Refusal, ClusterException {
        requireNode(r.to());
        String from = r.from();
        if (from == null) {
            List<Channel> ready = ready(r.to());
            if (ready.isEmpty()) {
                throw new Refusal("Receive " + r.to() + ": every incoming channel of node " + r.to() + " is empty");
            }
            from = ready.get(random.nextInt(ready.size())).from();
        } else {
            requireNode(from);
            if (from.equals(r.to())) {
                throw new Refusal("a node has no channel to itself");
            }
            if (depth.get(new Channel(from, r.to())) == 0) {
                throw new Refusal("Receive " + r.to() + " " + from + ": channel (" + from + " -> " + r.to() + ") is empty");
            }
        }
        take(r.to(), from, true);
    }

    private void receiveAll() throws Refusal, ClusterException {
        for (List<Channel> ready = ready(null); !ready.isEmpty(); ready = ready(null)) {
            Channel ch = ready.get(random.nextInt(ready.size()));
            take(ch.to(), ch.from(), false);
        }
    }

    private void take(String to, String from, boolean print) throws Refusal, ClusterException {
        BankMsg.Done d = cluster.take(to, from);
        if (d.error() != null) {
            throw new IllegalStateException("node " + to + " refused a take the mirror allowed: " + d.error());
        }
        depth.merge(new Channel(from, to), -1, Integer::sum);
        settle(to, d, print);
    }

    private void beginSnapshot(Command.BeginSnapshot b) throws Refusal, ClusterException {
        requireNode(b.id());
        BankMsg.Done d = cluster.begin(b.id(), ++snapshot);
        if (d.error() == null) {
            out.println("Started by Node " + b.id());
        }
        settle(b.id(), d, true);
    }

    private void collectState(Command.CollectState c) throws Refusal, ClusterException {
        if (snapshot == 0) {
            throw new Refusal("CollectState before any BeginSnapshot");
        }
        Map<String, BankMsg.Report> reports = new TreeMap<>(NodeIds.ORDER);
        for (String id : nodes) {
            reports.put(id, cluster.collect(id, snapshot));
        }
        collected = SnapshotPrinter.lines(nodes, reports);
        for (var e : reports.entrySet()) {
            if (e.getValue().state() == null) {
                diag.warning(c.line(), "snapshot incomplete: node " + e.getKey()
                        + " has not recorded its state yet (its snapshot token is still in a channel)");
            } else if (!e.getValue().open().isEmpty()) {
                diag.warning(c.line(), "snapshot incomplete: node " + e.getKey() + " is still recording channels from "
                        + e.getValue().open());
            }
        }
    }

    private void printSnapshot() throws Refusal {
        if (collected == null) {
            throw new Refusal("PrintSnapshot before any CollectState");
        }
        collected.forEach(out::println);
    }

    /** Prints the node's line, reports its refusal, and counts what it pushed onto channels. */
    private void settle(String node, BankMsg.Done d, boolean print) throws Refusal {
        for (String to : d.pushed()) {
            depth.merge(new Channel(node, to), 1, Integer::sum);
        }
        if (print && d.line() != null) {
            out.println(d.line());
        }
        if (d.error() != null) {
            throw new Refusal(d.error());
        }
    }

    private List<Channel> ready(String to) {
        List<Channel> ready = new ArrayList<>();
        depth.forEach((ch, n) -> {
            if (n > 0 && (to == null || ch.to().equals(to))) {
                ready.add(ch);
            }
        });
        return ready;
    }

    private void requireNode(String id) throws Refusal {
        if (!nodes.contains(id)) {
            throw new Refusal("no node " + id + " (CreateNode it first)");
        }
    }

    /** A command that cannot run as written: reported with its line, the run goes on. */
    static final class Refusal extends Exception {
        Refusal(String message) {
            super(message);
        }
    }
}
