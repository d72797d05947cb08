package synod.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import synod.master.PaxosCluster;
import synod.runtime.ClusterConfig;
import synod.runtime.PortBlock;
import synod.runtime.Logs;

/**
 * Closed-loop clients for the benchmarks: each sends its next request to a {@link Target} when the
 * previous one is answered. Latency is measured at the client, from submission to reply, after a
 * warm-up second; the CPU time this JVM (the load generator) spent meanwhile is reported with it,
 * and that of the servers when the caller names their processes.
 */
public final class ClosedLoop {
    private static final long WARMUP_MILLIS = 1000;
    /**
     * Unmeasured load before a system's first point: on 2 cores the JVMs (synod's nodes,
     * ZooKeeper's servers) go on compiling for several seconds; with 2 s synod's 1-client point
     * measured about 1.0-1.4k ops/s, with 15 s 2.2k.
     */
    public static final long PRIME_SECONDS = 10;
    /** How long stopped clients may take to see their last reply before the run counts as failed. */
    private static final long DRAIN_SECONDS = 30;

    /**
     * Latencies in ms; the load generator's and the servers' CPU use as fractions of one core; the
     * requests that failed, and the first failure.
     */
    public record Run(List<Double> latencies, double seconds, double generatorCpu, double serverCpu, long errors,
                      String firstError) {
        public double opsPerSecond() {
            return latencies.size() / seconds;
        }

        public double pct(double p) {
            List<Double> s = new ArrayList<>(latencies);
            s.sort(null);
            return s.isEmpty() ? Double.NaN : s.get(Math.min(s.size() - 1, (int) (p * s.size())));
        }

        /**
         * This run, if no request failed and some completed: a figure with failures in it would be a
         * wrong figure, and none at all means the system stalled for the whole window.
         */
        public Run checked(String what) {
            if (errors > 0) {
                throw new IllegalStateException(what + ": " + errors + " request(s) failed; first: " + firstError);
            }
            if (latencies.isEmpty()) {
                throw new IllegalStateException(what + ": no request completed in " + seconds + " s");
            }
            return this;
        }
    }

    private ClosedLoop() {}

    /** What every Paxos benchmark starts from: its log directory, the config, the disk's baseline. */
    public record Setup(Path logs, ClusterConfig cfg, Path cfgFile, double fsyncsPerSecond) {
        /** A fresh group of {@code nodes} with a leader; the caller closes it. */
        public PaxosCluster group(int nodes) throws Exception {
            return group(logs, nodes, cfg, cfgFile);
        }

        /** A fresh group of {@code nodes} logging under {@code dir}, run with {@code config} ({@code file} for the nodes). */
        public static PaxosCluster group(Path dir, int nodes, ClusterConfig config, Path file) throws Exception {
            PaxosCluster cluster = new PaxosCluster(config, dir, file, 1);
            cluster.peakNodes();
            cluster.start(1, nodes);
            if (cluster.awaitLeader(1, config.startMillis()) == null) {
                cluster.close();
                throw new IllegalStateException("no leader within " + config.startMillis() + " ms");
            }
            return cluster;
        }

        /**
         * A fresh group, warmed up: {@link #PRIME_SECONDS} of 64 clients writing, unmeasured, so the points
         * that follow measure compiled code (on 2 cores the node JVMs compile for several seconds).
         */
        public PaxosCluster warmedGroup(int nodes) throws Exception {
            return warm(group(nodes));
        }

        /** {@code cluster}, warmed up as {@link #warmedGroup} warms it. */
        public PaxosCluster warm(PaxosCluster cluster) throws Exception {
            try (Target t = new SynodTarget(cluster, "warm-", (c, seq) -> new synod.app.Op.Put("warm" + c, "x"))) {
                run(t, 64, PRIME_SECONDS).checked("warm-up");
            } catch (Exception | Error e) {
                cluster.close();
                throw e;
            }
            return cluster;
        }
    }

    /**
     * Logs to {@code logs/DIR/bench.log} and measures single fsyncs per second there (the baseline).
     * The config is config/cluster.json on a block of ports found free (as bin/grade's runs), so a
     * benchmark beside a test run or another benchmark does not collide with it.
     */
    public static Setup setup(String dir) throws Exception {
        Path logs = Path.of("logs", dir);
        Files.createDirectories(logs);
        Logs.toFile(logs.resolve("bench.log"));
        // A private block of ports, as bin/grade takes: a fixed one collided with other runs on the machine.
        Path file = logs.resolve("cluster.json");
        ClusterConfig cfg = PortBlock.write(Path.of("config/cluster.json"), file);
        double fsyncs = FsyncBench.rawRate(logs, "{\"rec\":\"promised\",\"ballot\":{\"round\":1,\"node\":1}}", true, 1000);
        System.out.printf("disk baseline (same run): %.0f fsyncs/s, one record per write+force%n", fsyncs);
        return new Setup(logs, cfg, file, fsyncs);
    }

    /** A warm-up window, and how close two windows in a row must be for the system to count as warm. */
    static final long STEADY_WINDOW_SECONDS = 5;
    static final double STEADY_WITHIN = 0.05;
    static final int STEADY_WINDOWS = 3;

    /**
     * The compilers' share of the servers' CPU in a warm-up window under which they count as done:
     * C2 goes on compiling the odd method for as long as a JVM runs, but while it takes more than
     * this, the nodes have hot code still interpreted or in C1's profiling form.
     */
    static final double COMPILING_DONE = 0.05;

    /** A warm-up's windows: each one's rate, and the share of the servers' CPU their compilers took (NaN: unknown). */
    public record Warm(List<Double> rates, List<Double> compiling) {
        public long seconds() {
            return rates.size() * (STEADY_WINDOW_SECONDS + WARMUP_MILLIS / 1000);
        }

        /** As a report shows it: how long, the rates, the compilers' shares. */
        public String describe() {
            return String.format("%d s: %s ops/s; compilers' share of the nodes' CPU %s", seconds(),
                    String.join(" ", rates.stream().map(r -> String.format("%.0f", r)).toList()),
                    String.join(" ", compiling.stream().map(c -> c.isNaN() ? "?" : String.format("%.0f%%", 100 * c))
                            .toList()));
        }
    }

    /**
     * Unmeasured load until the servers are compiled and throughput stops rising: windows of {@link
     * #STEADY_WINDOW_SECONDS} at {@code clients}, until the servers' JIT compilers took under {@link
     * #COMPILING_DONE} of their CPU in the last window and {@link #STEADY_WINDOWS} windows in a row
     * set no new high (none beats the best before them by more than {@link #STEADY_WITHIN}: one slow
     * window on a busy machine is not the end of warming), for at least {@code minSeconds} and at
     * most {@code maxSeconds}. Throughput alone is not enough: nine sharded nodes on two cores compile
     * for minutes, their compilers then take up to half the machine, and throughput can stall on a
     * plateau meanwhile (a run measured that plateau at a fifth of the compiled rate). {@code window}
     * makes window i's target; {@code servers} are the processes serving it.
     */
    public static Warm warmUntilSteady(java.util.function.IntFunction<Target> window, int clients, long minSeconds,
                                       long maxSeconds, List<ProcessHandle> servers) throws Exception {
        List<Double> rates = new ArrayList<>();
        List<Double> compiling = new ArrayList<>();
        long spent = 0;
        while (spent < maxSeconds) {
            JitWatch.Ticks before = JitWatch.ticks(servers);
            // A target of its own each window: each run numbers its requests from 1 again, and a
            // client id reused with old numbers would be answered from the reply cache, or not at all.
            try (Target t = window.apply(rates.size())) {
                rates.add(run(t, clients, STEADY_WINDOW_SECONDS).checked("warm-up").opsPerSecond());
            }
            JitWatch.Ticks after = JitWatch.ticks(servers);
            compiling.add(before == null || after == null ? Double.NaN : after.compilerShareSince(before));
            spent += STEADY_WINDOW_SECONDS + WARMUP_MILLIS / 1000;
            int n = rates.size();
            boolean compiled = !(compiling.get(n - 1) >= COMPILING_DONE); // unknown counts as compiled
            if (spent >= minSeconds && n > STEADY_WINDOWS && compiled) {
                double best = rates.subList(0, n - STEADY_WINDOWS).stream().mapToDouble(Double::doubleValue).max().orElse(0);
                double recent = rates.subList(n - STEADY_WINDOWS, n).stream().mapToDouble(Double::doubleValue).max().orElse(0);
                if (recent <= best * (1 + STEADY_WITHIN)) {
                    break;
                }
            }
        }
        return new Warm(rates, compiling);
    }

    public static Run run(Target target, int clients, long seconds) throws InterruptedException {
        return run(target, clients, seconds, List.of());
    }

    /** Runs {@code clients} closed loops against {@code target}; {@code servers} are the processes serving it. */
    public static Run run(Target target, int clients, long seconds, List<ProcessHandle> servers)
            throws InterruptedException {
        Clients s = new Clients(target, clients);
        for (int c = 0; c < clients; c++) {
            s.next(c, 1);
        }
        Thread.sleep(WARMUP_MILLIS); // the warm-up window: not measured
        long cpu0 = cpuNanos(List.of(ProcessHandle.current()));
        long srv0 = cpuNanos(servers);
        long t0 = System.nanoTime();
        s.measuring.set(true);
        Thread.sleep(seconds * 1000); // the measured window
        s.measuring.set(false);
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (cpuNanos(List.of(ProcessHandle.current())) - cpu0) / 1e9 / wall;
        double srv = (cpuNanos(servers) - srv0) / 1e9 / wall;
        s.stop.set(true);
        if (!s.done.await(DRAIN_SECONDS, TimeUnit.SECONDS)) {
            s.fail(new IllegalStateException(s.done.getCount() + " client(s) still waiting for a reply "
                    + DRAIN_SECONDS + " s after the run"));
        }
        return new Run(new ArrayList<>(s.latencies), wall, cpu, srv, s.errors.get(), String.valueOf(s.firstError.get()));
    }

    /** One run's clients: what they record, and when they stop. */
    private static final class Clients {
        final Target target;
        final List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        final AtomicBoolean measuring = new AtomicBoolean();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong errors = new AtomicLong();
        final AtomicReference<Throwable> firstError = new AtomicReference<>();
        final CountDownLatch done;

        Clients(Target target, int clients) {
            this.target = target;
            this.done = new CountDownLatch(clients);
        }

        void next(int client, long seq) {
            if (stop.get()) {
                done.countDown();
                return;
            }
            long t0 = System.nanoTime();
            CompletableFuture<?> reply;
            try {
                reply = target.submit(client, seq);
            } catch (RuntimeException e) {
                reply = CompletableFuture.failedFuture(e);
            }
            reply.whenComplete((r, e) -> {
                if (e != null) {
                    // a failing client stops rather than spin on a refusing system; the run then fails
                    fail(e);
                    done.countDown();
                    return;
                }
                if (measuring.get()) {
                    latencies.add((System.nanoTime() - t0) / 1e6);
                }
                next(client, seq + 1);
            });
        }

        void fail(Throwable e) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, e);
        }
    }

    /** CPU time the processes have used so far (those that exited no longer count). */
    static long cpuNanos(List<ProcessHandle> processes) {
        long sum = 0;
        for (ProcessHandle p : processes) {
            sum += p.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
        }
        return sum;
    }
}
