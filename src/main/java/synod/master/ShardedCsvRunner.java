package synod.master;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import synod.app.Result;
import synod.client.ResultLines;
import synod.master.BankCluster.ClusterException;
import synod.runtime.ClusterConfig;
import synod.runtime.EventLoop;
import synod.runtime.Layout;

/**
 * Runs a CSE535 Project 3 file: items 1..9000 range-sharded over 3 groups of 3 nodes (5 groups of 5
 * for a set whose Live Nodes name a node above n9; {@code --layout GxR} forces one layout for every
 * set), each item starting with 10. Every set begins with a FLUSH: every node is frozen and reset
 * in its JVM (or killed and started anew: one that is down or does not answer), the client
 * requests forgotten, the logs wiped, and a fresh cluster started, whose groups' first nodes (n1,
 * n4, n7) are made to lead; only then are the nodes outside Live Nodes cut off.
 *
 * <p>Within a set each client (the sender S) submits its own transactions in file order while the
 * clients run concurrently ({@link SetRun}); F(n), R(n) and LF are barriers. A request still
 * undecided when its set ends is reported aborted: its group had no majority (or it waited behind
 * one that did not), and the next FLUSH freezes or kills every node before any starts again, so it
 * can never execute.
 */
public final class ShardedCsvRunner {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ShardedCsvRunner.class);
    /** Project 3's items and their starting balance. */
    static final int ITEMS = 9000;
    static final long START = 10;
    private static final String OPENER = "opener";

    private final ClusterConfig cfg;
    private final PrintStream out;
    private final BankRunner.Diagnostics diag;
    private final BufferedReader console;
    private final Layout forced;
    private final PaxosCluster cluster;
    private final Performance performance = new Performance();
    /** Request numbers per client, never reused across sets (a stale reply can never match). */
    private final Map<String, Long> seqs = new ConcurrentHashMap<>();
    /** NEW-VIEWs of the set's start (the FLUSH's elections): PrintView shows only later ones. */
    private Set<String> startViews = Set.of();
    private final List<String> items = new ArrayList<>();
    private final Resharding resharding;

    /** {@code forced}: the layout of every set, or null to choose per set; {@code console}: null for --batch. */
    public ShardedCsvRunner(ClusterConfig cfg, Path logs, Path configFile, long seed, PrintStream out,
                            BankRunner.Diagnostics diag, BufferedReader console, Layout forced) throws IOException {
        this.cfg = cfg;
        this.out = out;
        this.diag = diag;
        this.console = console;
        this.forced = forced;
        this.cluster = new PaxosCluster(cfg, logs, configFile, seed);
        this.resharding = new Resharding(seed);
        for (int i = 1; i <= ITEMS; i++) {
            items.add(String.valueOf(i));
        }
    }

    /** The layout a set runs on: 5 groups of 5 if its Live Nodes or F/R rows name a node above n9, else 3 of 3. */
    static Layout layoutFor(CsvScript.Set s) {
        boolean beyondNine = s.live().stream().anyMatch(n -> ClusterConfig.number(n) > 9)
                || s.items().stream().anyMatch(i -> i.node() != null && ClusterConfig.number(i.node()) > 9);
        return beyondNine ? Layout.of(5, 5) : Layout.of(3, 3);
    }

    /** For a shutdown hook (a signal): stop every node now. */
    public void kill() {
        cluster.close();
    }

    /** Runs the file; false if an error was typed at the prompt between sets. */
    public boolean run(List<CsvScript.Set> sets) throws ClusterException, IOException {
        try {
            SetLoop.Ending end = SetLoop.run(sets, console, out, performance, new SetLoop.Runner() {
                @Override
                public void runSet(CsvScript.Set s) throws ClusterException {
                    ShardedCsvRunner.this.runSet(s);
                }

                @Override
                public String menu() {
                    return "PrintDB, PrintBalance ITEM, PrintView, PrintStatus N [G], PrintLog nK, Performance, PrintReshard, PrintPlacement";
                }

                @Override
                public String normalise(String line) {
                    return line.replaceAll("[();]", " ").strip(); // PrintBalance(4005); as the spec writes it
                }

                @Override
                public void command(Command c, BankRunner.Diagnostics typed) {
                    between(c, typed);
                }

            });
            if (end.allRun()) {
                out.println(performance.line());
            }
            return end.errors() == 0;
        } finally {
            out.flush();
            cluster.close();
        }
    }

    private void runSet(CsvScript.Set s) throws ClusterException {
        Layout layout = forced != null ? forced : layoutFor(s);
        List<String> live = new ArrayList<>();
        for (String n : s.live()) {
            if (layout.groupOf(n) == 0) {
                diag.warning(s.items().isEmpty() ? 0 : s.items().get(0).line(), "set " + s.number() + ": " + n
                        + " is not a node of the " + layout + " layout; left out");
            } else {
                live.add(n);
            }
        }
        flush(layout, live);
        out.println("--- set " + s.number() + " (live " + String.join(", ", s.live()) + ")");
        SetRun run = new SetRun(cluster, cfg, diag, performance, seqs, live);
        resharding.clear(); // the FLUSH put every item back in its range: earlier sets' transfers are another mapping's
        s.items().stream().filter(i -> i.kind() == CsvScript.Kind.TRANSFER).forEach(i -> resharding.transfer(i.from(), i.to()));
        run.run(s.items());
        run.results().forEach(out::println);
        PaxosPrints.print(cluster, new Command.PrintDB(0), out, diag);
        printViews();
        out.flush();
    }

    /**
     * FLUSH: freeze and reset every node ({@link PaxosCluster#flush}), forget every request, start the layout afresh on wiped logs,
     * make each group's first live node lead, open every item with 10 and tell every group the
     * placement, wait until every node has applied that, and only then cut off the nodes outside
     * {@code live}.
     */
    private void flush(Layout layout, List<String> live) throws ClusterException {
        long t0 = System.nanoTime();
        int g = layout.groups().size();
        int r = layout.group(1).size();
        cluster.flush(g, r);
        long started = System.nanoTime();
        cluster.printModifiedOnly(true);
        elect(layout, live);
        long elected = System.nanoTime();
        long first = seqs.merge(OPENER, (long) Shards.seqsNeeded(g), Long::sum) - Shards.seqsNeeded(g) + 1;
        Result opened;
        try {
            opened = Shards.run(cluster, OPENER, Shards.plan(cluster, first, items, START))
                    .get(cfg.commandMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new ClusterException("could not open the accounts within " + cfg.commandMillis() + " ms: " + e, e);
        }
        if (!(opened instanceof Result.Opened)) {
            throw new ClusterException("could not open the accounts: " + opened);
        }
        long openedAt = System.nanoTime();
        for (int k = 1; k <= g; k++) {
            cluster.settle(k, cfg.startMillis());
        }
        startViews = new LinkedHashSet<>(views());
        cluster.setLive(live);
        LOG.info("FLUSH and start of {} took {} ms: JVMs {} ms, elections {} ms, accounts {} ms, agreement {} ms",
                layout, (System.nanoTime() - t0) / 1_000_000, (started - t0) / 1_000_000, (elected - started) / 1_000_000,
                (openedAt - elected) / 1_000_000, (System.nanoTime() - openedAt) / 1_000_000);
    }

    /** Makes the first live node of every group its leader (by campaigning), within startMillis. */
    private void elect(Layout layout, List<String> live) throws ClusterException {
        List<String> wanted = new ArrayList<>();
        for (List<String> members : layout.groups()) {
            wanted.add(members.stream().filter(live::contains).findFirst().orElse(members.get(0)));
        }
        if (!cluster.elect(wanted, cfg.startMillis())) {
            throw new ClusterException("the groups did not elect " + wanted + " within " + cfg.startMillis() + " ms");
        }
    }

    private List<String> views() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PaxosPrints.print(cluster, new Command.PrintView(0), new PrintStream(buf, true), diag);
        List<String> lines = new ArrayList<>();
        for (String v : buf.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            if (!v.isBlank()) {
                lines.add(v);
            }
        }
        return lines;
    }

    /** PrintView: every NEW-VIEW since the set began (after its FLUSH's elections). */
    private void printViews() {
        for (String v : views()) {
            if (!startViews.contains(v)) {
                out.println(v);
            }
        }
    }

    /** A print command typed between sets; {@code typed} takes its errors. */
    private void between(Command c, BankRunner.Diagnostics typed) {
        if (c instanceof Command.Performance) {
            out.println(performance.line());
        } else if (c instanceof Command.PrintView) {
            printViews();
        } else if (c instanceof Command.PrintReshard) {
            resharding.reshard(items, cluster, cfg.commandMillis(), out, typed, c.line());
        } else {
            PaxosPrints.print(cluster, c, out, typed);
        }
    }

    /** How a transfer or read of a Project 3 file reads once decided. */
    static String line(CsvScript.Item item, Result r) {
        if (item.kind() == CsvScript.Kind.READ) {
            return item.text() + (r instanceof Result.Amount a ? " = " + a.balance()
                    : " aborted: " + (r instanceof Result.Aborted ab ? ab.reason() : r));
        }
        return item.text() + " " + ResultLines.transfer(r);
    }
}
