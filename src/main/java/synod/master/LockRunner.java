package synod.master;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import synod.app.Op;
import synod.app.Result;
import synod.client.ResultLines;
import synod.master.BankCluster.ClusterException;
import synod.runtime.ClusterConfig;
import synod.runtime.EventLoop;

/**
 * Runs the lock-service commands of a script against Multi-Paxos node JVMs and prints exactly the
 * SPEC's lines. A request not decided within {@code requestMillis} prints {@code CLIENT pending
 * LOCK}; its client keeps retrying it (same request number, so it executes once) and its line is
 * printed as soon as it is decided, before or during a later command, or at the end of the run. A
 * later request of the same client queues behind it and is reported the same way. On a sharded
 * cluster a transfer goes to its sender's group and a read to its account's group.
 */
public final class LockRunner {
    private static final Logger LOG = LoggerFactory.getLogger(LockRunner.class);

    private record Outstanding(String client, Command c, CompletableFuture<Result> result) {}

    /** The script's own clients for balance reads and for opening accounts. */
    private static final String READER = "reader";
    private static final String OPENER = "opener";
    private static final String KV = "kv";

    private final ClusterConfig cfg;
    private final Path logs;
    private final Path configFile;
    private final long seed;
    private final long requestMillis;
    private final PrintStream out;
    private final BankRunner.Diagnostics diag;
    private final Map<String, Long> requestSeq = new TreeMap<>();
    /** Accounts an Accounts line of this run opened (a cluster's accounts last as long as the run). */
    private final Set<String> opened = new java.util.HashSet<>();
    private final List<Outstanding> outstanding = new ArrayList<>();
    private PaxosCluster cluster;
    /** Grants to a waiting script client that came as notices (another program's client released the lock). */
    private final java.util.concurrent.ConcurrentLinkedQueue<String> grants = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Completed when a grant is queued, so that a Sleep prints it when it happens; replaced once seen. */
    private volatile CompletableFuture<Object> heard = new CompletableFuture<>();
    private final Performance performance = new Performance();
    private final Resharding resharding;
    private boolean killed;

    public LockRunner(ClusterConfig cfg, Path logs, Path configFile, long seed, long requestMillis, PrintStream out,
                      BankRunner.Diagnostics diag) {
        this.cfg = cfg;
        this.logs = logs;
        this.configFile = configFile;
        this.seed = seed;
        this.requestMillis = requestMillis;
        this.out = out;
        this.diag = diag;
        this.resharding = new Resharding(seed);
    }

    /** True for the commands this runner takes. */
    public static boolean takes(Command c) {
        return !(c instanceof Command.StartMaster || c instanceof Command.CreateNode || c instanceof Command.Send
                || c instanceof Command.Receive || c instanceof Command.ReceiveAll || c instanceof Command.BeginSnapshot
                || c instanceof Command.CollectState || c instanceof Command.PrintSnapshot);
    }

    public void run(Command c) {
        if (killed) {
            diag.error(c.line(), "the cluster was killed by KillAll; command ignored");
            return;
        }
        printDecided();
        try {
            if (c instanceof Command.StartCluster s) {
                startCluster(s);
            } else if (c instanceof Command.KillAll) {
                killAll();
            } else {
                requireCluster();
                dispatch(c);
            }
        } catch (ClusterException e) {
            diag.error(c.line(), e.getMessage());
        }
        printDecided();
    }

    private void dispatch(Command c) throws ClusterException {
        if (c instanceof Command.Lock l) {
            request(l.client(), c, new Op.Lock(l.lock()), 1);
        } else if (c instanceof Command.Unlock u) {
            request(u.client(), c, new Op.Unlock(u.lock()), 1);
        } else if (c instanceof Command.Transfer t) {
            resharding.transfer(t.from(), t.to());
            request(t.from(), c, new Op.Transfer(t.from(), t.to(), t.amount()), cluster.groupOfItem(t.from()));
        } else if (c instanceof Command.Balance b) {
            request(READER, c, new Op.Balance(b.account()), cluster.groupOfItem(b.account()));
        } else if (c instanceof Command.Put p) {
            request(KV, c, new Op.Put(p.key(), p.value()), keyGroup(p.key()));
        } else if (c instanceof Command.Get g) {
            request(KV, c, new Op.Get(g.key()), keyGroup(g.key()));
        } else if (c instanceof Command.Delete d) {
            request(KV, c, new Op.Delete(d.key()), keyGroup(d.key()));
        } else if (c instanceof Command.Txn t) {
            Op.KvTxn op = new Op.KvTxn(t.steps());
            long bytes = synod.paxos.WireSize.request(new synod.paxos.Request(t.client(), Long.MAX_VALUE, op));
            long max = synod.runtime.MessageCheck.requestBytesMax(cfg.frameBytesMax(), op);
            if (bytes > max) {
                throw new ClusterException("Txn takes " + bytes + " bytes, more than the " + max
                        + " a transaction may take on frames of " + cfg.frameBytesMax() + " bytes; nothing sent");
            }
            request(t.client(), c, op, keyGroup(t.steps().get(0).item()));
        } else if (c instanceof Command.PrintShard ps) {
            int g = keyGroup(ps.key());
            out.println(ps.key() + " is in group " + g + " (" + String.join(", ", cluster.group(g)) + ")");
        } else if (c instanceof Command.Accounts a) {
            List<String> again = a.accounts().stream().filter(opened::contains).toList();
            if (!again.isEmpty()) {
                throw new ClusterException("Accounts: " + (again.size() == 1 ? again.get(0) + " is" : again.get(0) + ".."
                        + again.get(again.size() - 1) + " are") + " open already; opening again would reset balances"
                        + " (and make money)");
            }
            opened.addAll(a.accounts());
            long first = requestSeq.getOrDefault(OPENER, 0L) + 1;
            List<Shards.Step> plan;
            try {
                plan = Shards.plan(cluster, first, a.accounts(), a.balance());
            } catch (IllegalArgumentException e) {
                throw new ClusterException("Accounts: " + e.getMessage(), e);
            }
            requestSeq.merge(OPENER, (long) Shards.seqsNeeded(cluster.groups()), Long::sum);
            // Opening thousands of items is many log entries in every group, on JVMs that may still be
            // cold: it gets the command timeout, not one request's (a loaded machine took over 5 s).
            submit(OPENER, c, () -> Shards.run(cluster, OPENER, plan), cfg.commandMillis());
        } else if (c instanceof Command.Fail f) {
            requireNode(f.node());
            cluster.kill(f.node());
        } else if (c instanceof Command.Recover r) {
            requireNode(r.node());
            if (!cluster.running(r.node())) {
                cluster.spawn(r.node());
                cluster.awaitHello(r.node());
            } else {
                diag.warning(c.line(), r.node() + " is running; nothing to recover");
            }
        } else if (c instanceof Command.FailLeader f) {
            int g = cluster.checkGroup(f.group());
            String leader = cluster.leader(g);
            if (leader == null) {
                throw new ClusterException("group " + g + " has no leader to fail");
            }
            cluster.kill(leader);
        } else if (c instanceof Command.CutLeader cut) {
            int cutGroup = cluster.checkGroup(cut.group());
            String leader = cluster.leader(cutGroup);
            if (leader == null) {
                throw new ClusterException("group " + cutGroup + " has no leader to cut off");
            }
            List<String> others = new ArrayList<>();
            for (int g = 1; g <= cluster.groups(); g++) {
                cluster.group(g).stream().filter(n -> !n.equals(leader)).forEach(others::add);
            }
            cluster.setLive(others);
        } else if (c instanceof Command.Live l) {
            cluster.setLive(l.nodes());
        } else if (c instanceof Command.CrashAt ca && ca.node().equals("any")) {
            cluster.crashAtAny(ca.point());
        } else if (c instanceof Command.CrashAt ca) {
            String node = ca.node().equals("leader") ? cluster.leader(1) : ca.node();
            if (node == null) {
                throw new ClusterException("group 1 has no leader to arm");
            }
            requireNode(node);
            cluster.crashAt(node, ca.point());
        } else if (c instanceof Command.DropRate d) {
            cluster.setDropRate(d.rate());
        } else if (c instanceof Command.Delay d) {
            cluster.setDelay(d.delayMicros(), d.jitterMicros());
        } else if (c instanceof Command.Performance) {
            out.println(performance.line());
        } else if (c instanceof Command.PrintReshard) {
            List<String> items = new ArrayList<>(opened);
            items.sort(synod.core.NodeIds.ORDER);
            resharding.reshard(items, cluster, cfg.commandMillis(), out, diag, c.line());
        } else if (c instanceof Command.Sleep s) {
            waitPrinting(s.millis());
        } else {
            if (c instanceof Command.PrintStatus ps) {
                cluster.checkGroup(ps.group());
            }
            PaxosPrints.print(cluster, c, out, diag);
        }
    }

    /** The group holding {@code key} of the key-value store (by its hash, {@link synod.app.KvShard}). */
    private int keyGroup(String key) {
        return synod.app.KvShard.groupOf(key, cluster.groups());
    }

    private void startCluster(Command.StartCluster s) throws ClusterException {
        resharding.clear(); // transfers on an earlier cluster say nothing of this one's items
        if (cluster == null) {
            try {
                cluster = new PaxosCluster(cfg, logs, configFile, seed);
                cluster.onGrant(n -> {
                    grants.addAll(ResultLines.of(n.client(), n.result(), false));
                    heard.complete(null);
                });
            } catch (IOException e) {
                throw new ClusterException(e.getMessage(), e);
            }
        }
        cluster.start(s.groups(), s.replicas());
        long deadline = EventLoop.nowMillis() + cfg.startMillis();
        // The first node of each group (n1, n4, n7 on 3x3) is made its leader, as a Project 3 FLUSH
        // does: a run starts with the same leaders every time, so demos and their logs repeat. If
        // that takes too long (a loaded machine), any leader the group elects will do.
        List<String> firsts = new ArrayList<>();
        for (int g = 1; g <= s.groups(); g++) {
            firsts.add(cluster.group(g).get(0));
        }
        if (!cluster.elect(firsts, Math.min(cfg.startMillis(), FIRST_LEADERS_MILLIS))) {
            LOG.info("not every group elected its first node ({}) within {} ms; taking the leaders they have", firsts,
                    Math.min(cfg.startMillis(), FIRST_LEADERS_MILLIS));
        }
        for (int g = 1; g <= s.groups(); g++) {
            if (cluster.awaitLeader(g, Math.max(0, deadline - EventLoop.nowMillis())) == null) {
                throw new ClusterException("group " + g + " elected no leader within " + cfg.startMillis() + " ms");
            }
        }
    }

    /** How long StartCluster tries to make the first node of each group its leader. */
    static final long FIRST_LEADERS_MILLIS = 5_000;

    private void request(String client, Command c, Op op, int group) {
        long s = requestSeq.merge(client, 1L, Long::sum);
        submit(client, c, () -> cluster.submit(client, s, op, group));
    }

    /**
     * Sends a request of {@code client} now, or, if an earlier one of the same client is still
     * pending, as soon as that one is decided (a client has one request in flight). Either way the
     * command waits up to requestMillis for the answer, and prints {@code pending} without one.
     */
    private void submit(String client, Command c, java.util.function.Supplier<CompletableFuture<Result>> send) {
        submit(client, c, send, requestMillis);
    }

    /** As above, waiting up to {@code waitMillis} for the answer. */
    private void submit(String client, Command c, java.util.function.Supplier<CompletableFuture<Result>> send,
                        long waitMillis) {
        Outstanding earlier = null;
        for (Outstanding o : outstanding) {
            if (o.client().equals(client)) {
                earlier = o; // the latest: this one queues behind it
            }
        }
        long[] submitted = {System.nanoTime()};
        CompletableFuture<Result> f = earlier == null ? send.get()
                : earlier.result().handle((r, e) -> null).thenCompose(x -> {
                    submitted[0] = System.nanoTime();
                    return send.get();
                });
        f.whenComplete((r, e) -> {
            if (e == null) {
                performance.record(submitted[0], System.nanoTime());
            }
        });
        outstanding.add(new Outstanding(client, c, f));
        awaitDecided(f, waitMillis);
        if (!f.isDone()) {
            out.println(pendingLine(client, c));
        }
    }

    private static void awaitDecided(CompletableFuture<Result> f, long millis) {
        try {
            f.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // still pending (or failed): the caller looks at isDone()
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits {@code millis} (a Sleep: the script asked to wait), printing every request decided and grant heard meanwhile as it comes. */
    private void waitPrinting(long millis) {
        long end = EventLoop.nowMillis() + millis;
        for (long left = millis; left > 0; left = end - EventLoop.nowMillis()) {
            List<CompletableFuture<?>> open = new ArrayList<>(outstanding.stream().map(Outstanding::result).toList());
            open.add(heard);
            awaitDecided(CompletableFuture.anyOf(open.toArray(new CompletableFuture[0])).thenApply(x -> (Result) null), left);
            printDecided();
        }
    }

    /** Prints, in submission order, the requests decided so far. */
    private void printDecided() {
        for (var it = outstanding.iterator(); it.hasNext(); ) {
            Outstanding o = it.next();
            if (o.result().isCompletedExceptionally()) {
                it.remove();
                diag.error(o.c().line(), "request failed: " + o.result().handle((r, e) -> e).join());
            } else if (o.result().isDone()) {
                it.remove();
                print(o.client(), o.c(), o.result().join());
            }
        }
        if (heard.isDone()) {
            heard = new CompletableFuture<>(); // before draining: a grant queued from now on completes the new one
        }
        for (String line = grants.poll(); line != null; line = grants.poll()) {
            out.println(line);
        }
        out.flush();
    }

    private void print(String client, Command c, Result r) {
        if (c instanceof Command.Transfer t) {
            out.println(transferLine(t, r));
        } else if (c instanceof Command.Balance b) {
            out.println(ResultLines.balance(b.account(), r));
        } else if (c instanceof Command.Put || c instanceof Command.Get || c instanceof Command.Delete) {
            out.println(ResultLines.kv(r));
        } else if (c instanceof Command.Txn) {
            out.println(ResultLines.txn(r));
        } else if (!(c instanceof Command.Accounts)) {
            ResultLines.of(client, r, true).forEach(out::println);
        }
    }

    private static String transferLine(Command.Transfer t, Result r) {
        return ResultLines.transferHead(t.from(), t.to(), t.amount()) + " " + ResultLines.transfer(r);
    }

    private static String pendingLine(String client, Command c) {
        if (c instanceof Command.Transfer t) {
            return ResultLines.transferHead(t.from(), t.to(), t.amount()) + " pending";
        }
        if (c instanceof Command.Balance b) {
            return b.account() + " pending";
        }
        if (c instanceof Command.Accounts) {
            return "Accounts pending";
        }
        if (c instanceof Command.Put p) {
            return p.key() + " pending";
        }
        if (c instanceof Command.Txn) {
            return "txn pending";
        }
        if (c instanceof Command.Get g) {
            return g.key() + " pending";
        }
        if (c instanceof Command.Delete d) {
            return d.key() + " pending";
        }
        return client + " pending " + (c instanceof Command.Lock l ? l.lock() : ((Command.Unlock) c).lock());
    }

    private void requireCluster() throws ClusterException {
        if (cluster == null || cluster.groups() == 0) { // never started, or its start failed
            throw new ClusterException("no cluster: StartCluster first");
        }
    }

    private void requireNode(String id) throws ClusterException {
        if (ClusterConfig.number(id) > cluster.groups() * cluster.group(1).size()) {
            throw new ClusterException("no node " + id + " in this cluster");
        }
    }

    /** KillAll: every node goes at once; requests still pending will never be answered. */
    private void killAll() {
        killed = true;
        if (!outstanding.isEmpty()) {
            diag.error(outstanding.get(0).c().line(), "killed while pending: " + outstanding.stream()
                    .map(o -> o.client() + " (line " + o.c().line() + ")").toList());
            outstanding.clear();
        }
        close();
    }

    /** At the end of a run: waits (bounded) for pending requests, printing them, then stops the nodes. */
    public void finish() {
        if (cluster != null && !killed && !outstanding.isEmpty()) {
            long end = EventLoop.nowMillis() + cfg.commandMillis();
            diag.warning(outstanding.get(0).c().line(), "end of script: waiting up to " + cfg.commandMillis() / 1000
                    + " s for " + outstanding.size() + " undecided request" + (outstanding.size() == 1 ? "" : "s"));
            while (!outstanding.isEmpty() && EventLoop.nowMillis() < end) {
                waitPrinting(Math.min(200, end - EventLoop.nowMillis()));
            }
            Set<String> left = new LinkedHashSet<>();
            outstanding.forEach(o -> left.add(o.client() + " (line " + o.c().line() + ")"));
            if (!left.isEmpty()) {
                diag.error(outstanding.get(0).c().line(), "never decided: " + left);
            }
        }
        close();
    }

    public void close() {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }
}
