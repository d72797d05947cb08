package synod.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.ParseException;
import synod.app.Op;
import synod.app.Result;
import synod.master.PaxosCluster;

/**
 * {@code bin/bench shard}: the CSE535 Project 3 benchmark (its section 1.3) on the sharded bank, 3
 * groups of 3 nodes, fsync on, closed-loop clients at 1, 16 and 64. The three knobs ({@link ShardMix}):
 * {@code --read-only P%} balance reads, {@code --cross P%} of the transfers across groups (two-phase
 * commit), {@code --skew Z} the Zipfian skew of item access (0 uniform .. 0.99, YCSB's generator).
 * {@code --preset} names a standard mix. Beside it, in the same run, the single-group bank (one
 * group of 3, items 1..3000) under the same clients and the same mix without cross-group transfers:
 * the baseline. Reports committed requests per second, p50/p99 at the client, the fraction aborted,
 * the resends a locked item caused per request, and the load generator's own CPU.
 * {@code --save FILE.csv} also writes the mix's transactions as a Project 3 file.
 * The old positional form {@code [SECONDS [CROSS%]]} still works.
 */
public final class ShardBench {
    static final int GROUPS = 3;
    private static final int REPLICAS = 3;
    static final int ITEMS_PER_GROUP = 3000;
    private static final long BALANCE = 1_000_000_000L;
    /** The longest warm-up: past it the figures are taken anyway, and the warm-up line shows the trend. */
    static final long WARM_SECONDS_MAX = 300;
    /** The seed of the hot items' scramble and of the saved file. */
    static final long SEED = 535;

    private ShardBench() {}

    /** Standard mixes on the bank: read-only fraction, cross-group fraction, skew. */
    enum Preset {
        /** YCSB workload A (50% reads, 50% updates, Zipfian 0.99), an update being a transfer. */
        YCSB_A(new ShardMix(0.50, 0.10, 0.99)),
        /** YCSB workload B (95% reads, Zipfian 0.99). */
        YCSB_B(new ShardMix(0.95, 0.10, 0.99)),
        /**
         * SmallBank-like: its 15% Balance transactions as reads, its five updating ones as transfers,
         * its hot spot approximated by Zipfian 0.9.
         */
        SMALLBANK(new ShardMix(0.15, 0.10, 0.9));

        final ShardMix mix;

        Preset(ShardMix mix) {
            this.mix = mix;
        }

        static Preset named(String name) {
            for (Preset p : values()) {
                if (p.name().replace('_', '-').equalsIgnoreCase(name)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("no preset '" + name + "' (ycsb-a, ycsb-b, smallbank)");
        }
    }

    /** What the command line asked for. */
    record Options(long seconds, ShardMix mix, String preset, int[] clients, Path save, int saveCount,
                   boolean shardedOnly) {}

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = options(args);
        } catch (IllegalArgumentException | ParseException e) {
            System.err.println("bin/bench shard: " + e.getMessage());
            System.err.println("usage: bin/bench shard [SECONDS [CROSS%]] | [--seconds N] [--read-only P%] [--cross P%]"
                    + " [--skew 0..0.99] [--preset ycsb-a|ycsb-b|smallbank] [--clients 1,16,64] [--save FILE.csv"
                    + " [--save-count N]] [--sharded-only]");
            System.exit(2);
            return;
        }
        ShardMix mix = o.mix();
        if (o.save() != null) {
            ShardCsv.write(o.save(), mix.generator(GROUPS, ITEMS_PER_GROUP, SEED), o.saveCount(), SEED);
            System.out.printf("wrote %d transactions of this mix to %s (replay: bin/master %s)%n", o.saveCount(),
                    o.save(), o.save());
        }
        System.out.printf("synod bench: sharded bank, %d groups of %d, fsync on, %d s per point, %s%.0f%% read-only,"
                + " %.0f%% of transfers cross-group, %s items, %d cores%n", GROUPS, REPLICAS, o.seconds(),
                o.preset() == null ? "" : o.preset() + ": ", mix.readOnly() * 100, mix.cross() * 100,
                mix.skew() > 0 ? "Zipfian " + mix.skew() : "uniform", Runtime.getRuntime().availableProcessors());
        System.out.println("(one run on a shared machine: the figures are noisy; compare the columns, not runs)");
        ClosedLoop.Setup setup = ClosedLoop.setup("bench-shard");
        ShardMix local = new ShardMix(mix.readOnly(), 0, mix.skew());
        List<Point> base = null;
        BenchProgress.plan((o.shardedOnly() ? 1 : 2) * o.clients().length);
        if (!o.shardedOnly()) {
            try (PaxosCluster one = setup.group(REPLICAS)) {
                open(one, 1);
                base = points(one, 1, local, o.clients(), o.seconds());
            }
        }
        List<Point> sharded;
        try (PaxosCluster many = shardedCluster(setup)) {
            open(many, GROUPS);
            sharded = points(many, GROUPS, mix, o.clients(), o.seconds());
        }
        if (base == null) {
            printShardedOnly(o, sharded);
            return;
        }
        System.out.println("clients   sharded ops/s  p50 ms  p99 ms  aborted  retries  gen CPU  node us/op"
                + "   1 group ops/s  p50 ms  p99 ms  node us/op  ratio  CPU ratio");
        for (int i = 0; i < o.clients().length; i++) {
            Point s = sharded.get(i);
            Point b = base.get(i);
            System.out.printf("%7d   %13.0f  %6.2f  %6.2f  %6.2f%%  %7.3f  %6.0f%%  %10.0f   %13.0f  %6.2f  %6.2f  %10.0f"
                            + "  %5.2fx  %8.2fx%n",
                    o.clients()[i], s.committedPerSecond(), s.run().pct(0.50), s.run().pct(0.99), 100 * s.aborted(),
                    s.retries(), s.run().generatorCpu() * 100, s.nodeMicrosPerCommit(), b.committedPerSecond(),
                    b.run().pct(0.50), b.run().pct(0.99), b.nodeMicrosPerCommit(),
                    s.committedPerSecond() / b.committedPerSecond(), s.nodeMicrosPerCommit() / b.nodeMicrosPerCommit());
        }
        System.out.println("(retries: resends per request caused by an item locked by a two-phase commit; node us/op:"
                + " the nodes' CPU, summed, per committed request, beyond their idle use; CPU ratio: sharded over 1 group)");
        System.out.println("(load average at the end: " + loadAverage() + ")");
    }

    /** The table without the baseline ({@code --sharded-only}: for profiling, no ratio to quote). */
    private static void printShardedOnly(Options o, List<Point> sharded) {
        System.out.println("clients   sharded ops/s  p50 ms  p99 ms  aborted  retries  gen CPU  node us/op");
        for (int i = 0; i < o.clients().length; i++) {
            Point s = sharded.get(i);
            System.out.printf("%7d   %13.0f  %6.2f  %6.2f  %6.2f%%  %7.3f  %6.0f%%  %10.0f%n", o.clients()[i],
                    s.committedPerSecond(), s.run().pct(0.50), s.run().pct(0.99), 100 * s.aborted(), s.retries(),
                    s.run().generatorCpu() * 100, s.nodeMicrosPerCommit());
        }
        System.out.println("(no baseline: --sharded-only; load average at the end: " + loadAverage() + ")");
    }

    /** The machine's load averages (1, 5, 15 minutes), as /proc/loadavg has them, or "unknown". */
    static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Parses the named options (or the positional form), every value checked here. */
    static Options options(String[] args) throws ParseException {
        org.apache.commons.cli.Options spec = new org.apache.commons.cli.Options();
        spec.addOption(null, "seconds", true, "seconds per point");
        spec.addOption(null, "read-only", true, "percentage of balance reads");
        spec.addOption(null, "cross", true, "percentage of transfers across groups");
        spec.addOption(null, "skew", true, "Zipfian skew 0..0.99");
        spec.addOption(null, "preset", true, "ycsb-a, ycsb-b or smallbank");
        spec.addOption(null, "clients", true, "client counts, comma-separated");
        spec.addOption(null, "save", true, "write the mix as a Project 3 CSV");
        spec.addOption(null, "save-count", true, "transactions in the saved CSV");
        spec.addOption(null, "sharded-only", false, "no single-group baseline (profiling)");
        CommandLine cl = new DefaultParser().parse(spec, args);
        List<String> rest = cl.getArgList();
        if (rest.size() > 2) {
            throw new IllegalArgumentException("at most two positional arguments (SECONDS CROSS%), not " + rest);
        }
        Preset preset = cl.hasOption("preset") ? Preset.named(cl.getOptionValue("preset")) : null;
        ShardMix base = preset != null ? preset.mix : new ShardMix(0, 0.10, 0);
        long seconds = whole("seconds", cl.getOptionValue("seconds", rest.isEmpty() ? "3" : rest.get(0)), 1, 3600);
        String crossText = cl.getOptionValue("cross", rest.size() > 1 ? rest.get(1) : null);
        ShardMix mix = new ShardMix(
                cl.hasOption("read-only") ? percent("read-only", cl.getOptionValue("read-only")) : base.readOnly(),
                crossText != null ? percent("cross", crossText) : base.cross(),
                cl.hasOption("skew") ? number("skew", cl.getOptionValue("skew")) : base.skew());
        int[] clients = Workload.CONCURRENCY;
        if (cl.hasOption("clients")) {
            String[] parts = cl.getOptionValue("clients").split(",");
            clients = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                clients[i] = (int) whole("clients", parts[i].strip(), 1, 1024);
            }
        }
        Path save = cl.hasOption("save") ? Path.of(cl.getOptionValue("save")) : null;
        if (cl.hasOption("save-count") && save == null) {
            throw new IllegalArgumentException("--save-count needs --save FILE.csv");
        }
        int saveCount = (int) whole("save-count", cl.getOptionValue("save-count", "1000"), 1, 1_000_000);
        return new Options(seconds, mix, preset == null ? null : preset.name().toLowerCase().replace('_', '-'),
                clients, save, saveCount, cl.hasOption("sharded-only"));
    }

    private static double number(String what, String text) {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not a number");
        }
    }

    /** A percentage (trailing % optional) as a fraction, checked to be in 0..100. */
    private static double percent(String what, String text) {
        double p = number(what, text.strip().replaceFirst("%$", ""));
        if (!(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException(what + ": " + text + " is not a percentage in 0..100");
        }
        return p / 100;
    }

    private static long whole(String what, String text, long min, long max) {
        long v;
        try {
            v = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not a whole number");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + ": " + v + " is not in " + min + ".." + max);
        }
        return v;
    }

    /** Three groups of three fresh nodes, each with a leader (also the key-value bench's cluster). */
    static PaxosCluster shardedCluster(ClosedLoop.Setup setup) throws Exception {
        return shardedCluster(setup, setup.cfg(), setup.cfgFile());
    }

    /** The same, its nodes run with {@code config} (read from {@code file}; null: config/cluster.json). */
    static PaxosCluster shardedCluster(ClosedLoop.Setup setup, synod.runtime.ClusterConfig config, Path file)
            throws Exception {
        PaxosCluster cluster = new PaxosCluster(config, setup.logs(), file, 1);
        cluster.peakNodes();
        try {
            cluster.start(GROUPS, REPLICAS);
            for (int g = 1; g <= GROUPS; g++) {
                if (cluster.awaitLeader(g, config.startMillis()) == null) {
                    throw new IllegalStateException("group " + g + " has no leader");
                }
            }
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Items 1..3000 in group 1, 3001..6000 in group 2, ...: every group and the master told the placement. */
    static void open(PaxosCluster cluster, int groups) throws Exception {
        List<Op.Range> ranges = new ArrayList<>();
        for (int g = 1; g <= groups; g++) {
            ranges.add(new Op.Range(String.valueOf((g - 1) * ITEMS_PER_GROUP + 1), String.valueOf(g * ITEMS_PER_GROUP), g));
        }
        cluster.place(ranges); // the master routes by item as the groups hold them (moves included)
        for (int g = 1; g <= groups; g++) {
            List<String> ids = new ArrayList<>();
            for (int i = (g - 1) * ITEMS_PER_GROUP + 1; i <= g * ITEMS_PER_GROUP; i++) {
                ids.add(String.valueOf(i));
            }
            expect(cluster.submit("opener", 1, new Op.Open(ids, BALANCE), g).get(), Result.Opened.class);
            if (groups > 1) {
                expect(cluster.submit("placer", 1, new Op.Place(ranges), g).get(), Result.Ok.class);
            }
        }
    }

    private static void expect(Result r, Class<? extends Result> want) {
        if (!want.isInstance(r)) {
            throw new IllegalStateException("setting up the bank: " + r);
        }
    }

    /** One measured point: the run, the fraction of its requests that aborted, the busy resends per request. */
    private record Point(ClosedLoop.Run run, double aborted, double retries, double idleCpu) {
        double committedPerSecond() {
            return run.opsPerSecond() * (1 - aborted);
        }

        /**
         * Microseconds of the nodes' CPU (all of them, summed) per committed request, beyond what they
         * spend idle (ticks, heartbeats): nine idle nodes take about a quarter of a core, which at a
         * low rate would otherwise swamp the cost of the requests themselves.
         */
        double nodeMicrosPerCommit() {
            return Math.max(0, run.serverCpu() - idleCpu) * 1e6 / committedPerSecond();
        }
    }

    /** Warms the cluster up unmeasured, then measures each client count. */
    private static List<Point> points(PaxosCluster cluster, int groups, ShardMix mix, int[] clients, long seconds)
            throws Exception {
        ShardMix.Generator gen = mix.generator(groups, ITEMS_PER_GROUP, SEED);
        // Nine node JVMs share two cores and each sees a third of the load: they take far longer than
        // one group's three to compile what they run, so both warm until compiled and steady.
        String which = groups > 1 ? "sharded" : "1 group";
        BenchProgress.phase(which + ", warming up");
        ClosedLoop.Warm warm = ClosedLoop.warmUntilSteady(w -> new Requests(cluster, "warm" + w + "-", gen, 64),
                64, ClosedLoop.PRIME_SECONDS, WARM_SECONDS_MAX, ProcessHandle.current().descendants().toList());
        BenchProgress.clear();
        System.out.printf("(%s warmed %s; load average %s)%n", which, warm.describe(), loadAverage());
        double idle = idleNodeCpu();
        List<Point> runs = new ArrayList<>();
        for (int n : clients) {
            try (Requests t = new Requests(cluster, "t" + n + "-", gen, n)) {
                long busy0 = cluster.busyRetries();
                BenchProgress.point(which + ", " + n + " clients");
                // the nodes' CPU over the window, per committed request: the figure that other work on a
                // shared machine disturbs least (throughput there is noise)
                ClosedLoop.Run r = ClosedLoop.run(t, n, seconds, ProcessHandle.current().descendants().toList())
                        .checked("shard bench");
                BenchProgress.clear();
                double retries = (double) (cluster.busyRetries() - busy0) / Math.max(1, t.done.get());
                runs.add(new Point(r, t.abortedFraction(), retries, idle));
                if (t.firstAbort.get() != null) {
                    System.out.printf("(%d clients: %.1f%% aborted, the first: %s)%n", n, 100 * t.abortedFraction(),
                            t.firstAbort.get());
                }
            }
        }
        return runs;
    }

    /** The nodes' CPU with no request in flight (cores), over 3 s after a second's pause. */
    private static double idleNodeCpu() throws InterruptedException {
        List<ProcessHandle> nodes = ProcessHandle.current().descendants().toList();
        Thread.sleep(1000);
        long cpu0 = ClosedLoop.cpuNanos(nodes);
        long t0 = System.nanoTime();
        Thread.sleep(3000);
        double idle = (ClosedLoop.cpuNanos(nodes) - cpu0) / (double) (System.nanoTime() - t0);
        System.out.printf("(idle, the nodes use %.0f%% of a core)%n", idle * 100);
        return idle;
    }

    /**
     * The mix's requests, each client drawing from its own seeded Random. Aborted requests are
     * counted (the fraction aborted) and taken out of the committed rate.
     */
    static final class Requests implements Target {
        private final PaxosCluster cluster;
        private final String prefix;
        private final ShardMix.Generator gen;
        private final Random[] rnd;
        final AtomicLong aborted = new AtomicLong();
        final AtomicLong done = new AtomicLong();
        final AtomicReference<String> firstAbort = new AtomicReference<>();

        double abortedFraction() {
            return (double) aborted.get() / Math.max(1, done.get());
        }

        Requests(PaxosCluster cluster, String prefix, ShardMix.Generator gen, int clients) {
            this.cluster = cluster;
            this.prefix = prefix;
            this.gen = gen;
            this.rnd = new Random[clients];
            for (int c = 0; c < clients; c++) {
                rnd[c] = new Random(c * 7919L + clients);
            }
        }

        @Override
        public CompletableFuture<Result> submit(int client, long seq) {
            ShardMix.Draw d = gen.next(rnd[client]);
            return cluster.submit(prefix + client, seq, d.op(), d.group()).thenApply(res -> {
                done.incrementAndGet();
                if (res instanceof Result.Aborted a) {
                    aborted.incrementAndGet(); // a 2PC timeout, say: counted, and the client goes on
                    firstAbort.compareAndSet(null, d.op() + ": " + a.reason());
                } else if (!(res instanceof Result.Committed || res instanceof Result.Amount)) {
                    throw new IllegalStateException(d.op() + ": " + res);
                }
                return res;
            });
        }
    }
}
