package synod.master;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import synod.app.Op;
import synod.app.Result;
import synod.master.BankCluster.ClusterException;
import synod.runtime.ClusterConfig;

/**
 * Runs a CSE535 Project 1 file: one group of five nodes, clients A..J with 10 each. Within a set
 * every client submits its own transactions in file order (closed loop) while the clients run
 * concurrently; nodes outside the set's Live Nodes are cut off; LF fails the current leader, which
 * rejoins at the next set. A transaction still undecided after {@code requestMillis} without
 * progress is reported pending; its client keeps it (and queues its later ones behind it) and it
 * completes exactly once when a later set restores a quorum.
 */
public final class CsvRunner {
    private record Txn(CsvScript.Item item, CompletableFuture<Result> result, long[] nanos) {}

    private final ClusterConfig cfg;
    private final PrintStream out;
    private final BankRunner.Diagnostics diag;
    private final BufferedReader console;
    private final PaxosCluster cluster;
    private final Map<String, CompletableFuture<?>> tails = new ConcurrentHashMap<>();
    private final Map<String, Long> seqs = new ConcurrentHashMap<>();
    private final List<Txn> carried = new ArrayList<>();
    private final Performance performance = new Performance();
    private final Set<String> viewsPrinted = new LinkedHashSet<>();
    private final List<String> failed = new ArrayList<>();

    /** {@code console}: where the user types between sets, or null for --batch. */
    public CsvRunner(ClusterConfig cfg, Path logs, Path configFile, long seed, PrintStream out,
                     BankRunner.Diagnostics diag, BufferedReader console) throws IOException {
        this.cfg = cfg;
        this.out = out;
        this.diag = diag;
        this.console = console;
        this.cluster = new PaxosCluster(cfg, logs, configFile, seed);
    }

    /** For a shutdown hook (a signal): stop every node now. */
    public void kill() {
        cluster.close();
    }

    /** Runs the file; false if an error was typed at the prompt between sets. */
    public boolean run(List<CsvScript.Set> sets) throws ClusterException, IOException {
        try {
            cluster.start(1, 5);
            if (cluster.awaitLeader(1, cfg.startMillis()) == null) {
                throw new ClusterException("no leader within " + cfg.startMillis() + " ms");
            }
            List<String> clients = List.of("A", "B", "C", "D", "E", "F", "G", "H", "I", "J");
            Result opened = cluster.submit("opener", 1, new Op.Open(clients, 10), 1).orTimeout(cfg.commandMillis(),
                    TimeUnit.MILLISECONDS).join();
            if (!(opened instanceof Result.Opened)) {
                throw new ClusterException("could not open the accounts: " + opened);
            }
            SetLoop.Ending end = SetLoop.run(sets, console, out, performance, new SetLoop.Runner() {
                @Override
                public void runSet(CsvScript.Set s) throws ClusterException {
                    CsvRunner.this.runSet(s);
                }

                @Override
                public String menu() {
                    return "PrintDB, PrintLog nK, PrintStatus N, PrintView, PrintBalance X, Performance";
                }

                @Override
                public void command(Command c, BankRunner.Diagnostics typed) {
                    between(c, typed);
                }

            });
            if (end.allRun()) {
                finish();
            }
            return end.errors() == 0;
        } finally {
            cluster.close();
        }
    }

    private void runSet(CsvScript.Set s) throws ClusterException {
        for (String id : failed) {
            cluster.spawn(id);
            cluster.awaitHello(id);
        }
        failed.clear();
        cluster.setLive(s.live());
        out.println("--- set " + s.number() + " (live " + String.join(", ", s.live()) + ")");
        List<Txn> mine = new ArrayList<>();
        List<Txn> segment = new ArrayList<>();
        for (CsvScript.Item item : s.items()) {
            if (item.leaderFails()) {
                settle(segment);
                failLeader(item.line());
                segment.clear();
            } else {
                Txn t = submit(item);
                mine.add(t);
                segment.add(t);
            }
        }
        settle(segment);
        printResults(mine);
        PaxosPrints.print(cluster, new Command.PrintDB(0), out, diag);
        printNewViews();
        out.flush();
    }

    /** Queues {@code item} behind its client's previous transaction (closed loop per client). */
    private Txn submit(CsvScript.Item item) {
        CompletableFuture<Result> result = new CompletableFuture<>();
        long[] nanos = new long[2];
        CompletableFuture<?> before = tails.getOrDefault(item.from(), CompletableFuture.completedFuture(null));
        CompletableFuture<Result> mine = before.handle((x, e) -> null).thenCompose(x -> {
            nanos[0] = System.nanoTime();
            long seq = seqs.merge(item.from(), 1L, Long::sum);
            return cluster.submit(item.from(), seq, new Op.Transfer(item.from(), item.to(), item.amount()), 1);
        });
        mine.whenComplete((r, e) -> {
            nanos[1] = System.nanoTime();
            if (r != null) {
                performance.record(nanos[0], nanos[1]);
                Progress.done();
                result.complete(r);
            }
        });
        tails.put(item.from(), mine);
        return new Txn(item, result, nanos);
    }

    /** Waits until these (and earlier pending ones) are decided, or nothing moves for requestMillis. */
    private void settle(List<Txn> segment) {
        List<Txn> all = new ArrayList<>(segment);
        all.addAll(carried);
        while (true) {
            List<CompletableFuture<Result>> open = all.stream().map(Txn::result).filter(f -> !f.isDone()).toList();
            if (open.isEmpty()) {
                return;
            }
            try {
                CompletableFuture.anyOf(open.toArray(new CompletableFuture[0])).get(cfg.requestMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                return; // no progress: no quorum for these now; they stay pending
            } catch (Exception e) {
                return;
            }
        }
    }

    private void failLeader(int line) {
        String leader = cluster.awaitLeader(1, 3000);
        if (leader == null) {
            diag.error(line, "LF: no leader to fail");
            return;
        }
        cluster.kill(leader);
        failed.add(leader);
    }

    private void printResults(List<Txn> mine) {
        for (var it = carried.iterator(); it.hasNext(); ) {
            Txn t = it.next();
            if (t.result().isDone()) {
                out.println(line(t) + "   (pending since an earlier set)");
                it.remove();
            }
        }
        for (Txn t : mine) {
            out.println(line(t));
            if (!t.result().isDone()) {
                carried.add(t);
            }
        }
    }

    private static String line(Txn t) {
        if (!t.result().isDone()) {
            return t.item().text() + " pending";
        }
        return t.item().text() + " " + synod.client.ResultLines.transfer(t.result().join());
    }

    private void printNewViews() {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        PaxosPrints.print(cluster, new Command.PrintView(0), new PrintStream(buf, true), diag);
        for (String v : buf.toString().split("\n")) {
            if (!v.isBlank() && viewsPrinted.add(v)) {
                out.println(v);
            }
        }
    }

    /** A print command typed between sets (or Performance); {@code typed} takes its errors. */
    private void between(Command c, BankRunner.Diagnostics typed) {
        if (c instanceof Command.Performance) {
            performance();
        } else if (c instanceof Command.PrintReshard) {
            typed.error(c.line(), "PrintReshard: a Project 1 file runs on one group, so there is nothing to reshard");
        } else {
            PaxosPrints.print(cluster, c, out, typed);
        }
    }

    private void performance() {
        out.println(performance.line());
    }

    /** After the last set: every cut-off node rejoins, pending transactions get a bounded last chance. */
    private void finish() throws ClusterException {
        if (carried.isEmpty()) {
            performance();
            return;
        }
        for (String id : failed) {
            cluster.spawn(id);
            cluster.awaitHello(id);
        }
        cluster.setLive(List.of());
        settle(List.of());
        out.println("--- after the last set, every node live");
        printResults(List.of());
        PaxosPrints.print(cluster, new Command.PrintDB(0), out, diag);
        printNewViews();
        carried.forEach(t -> diag.error(t.item().line(), "never decided: " + t.item().text()));
        performance();
    }

}
