package synod.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import synod.app.Op;
import synod.master.PaxosCluster;
import synod.runtime.ClusterConfig;
import synod.runtime.Logs;

/**
 * Closed-loop clients for the benchmarks: each sends its next request when the previous one is
 * answered. Latency is measured at the client, from submission to reply, after a warm-up second;
 * the CPU time this JVM (the load generator) spent meanwhile is reported with it.
 */
final class ClosedLoop {
    /** The {@code seq}-th request of client {@code client}. */
    interface Ops {
        Op next(int client, long seq);
    }

    /** Latencies in ms, and the load generator's CPU use as a fraction of one core. */
    record Run(List<Double> latencies, double seconds, double generatorCpu) {
        double opsPerSecond() {
            return latencies.size() / seconds;
        }

        double pct(double p) {
            List<Double> s = new ArrayList<>(latencies);
            s.sort(null);
            return s.isEmpty() ? Double.NaN : s.get(Math.min(s.size() - 1, (int) (p * s.size())));
        }
    }

    private ClosedLoop() {}

    /** What every Paxos benchmark starts from: its log directory, the config, the disk's baseline. */
    record Setup(Path logs, ClusterConfig cfg, double fsyncsPerSecond) {
        /** A fresh group of {@code nodes} with a leader; the caller closes it. */
        PaxosCluster group(int nodes) throws Exception {
            PaxosCluster cluster = new PaxosCluster(cfg, logs, null, 1);
            cluster.start(1, nodes);
            if (cluster.awaitLeader(1, cfg.startMillis()) == null) {
                cluster.close();
                throw new IllegalStateException("no leader within " + cfg.startMillis() + " ms");
            }
            return cluster;
        }
    }

    /** Logs to {@code logs/DIR/bench.log} and measures single fsyncs per second there (the baseline). */
    static Setup setup(String dir) throws Exception {
        Path logs = Path.of("logs", dir);
        Files.createDirectories(logs);
        Logs.toFile(logs.resolve("bench.log"));
        ClusterConfig cfg = ClusterConfig.load(Path.of("config/cluster.json"), false);
        double fsyncs = FsyncBench.rawRate(logs, "{\"rec\":\"promised\",\"ballot\":{\"round\":1,\"node\":1}}", true, 1000);
        System.out.printf("disk baseline (same run): %.0f fsyncs/s, one record per write+force%n", fsyncs);
        return new Setup(logs, cfg, fsyncs);
    }

    static Run run(PaxosCluster cluster, String prefix, int clients, long seconds, Ops ops) throws InterruptedException {
        List<Double> lat = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean(false);
        CountDownLatch done = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            next(cluster, prefix + clients + "-" + c, c, 1, ops, lat, measuring, stop, done);
        }
        Thread.sleep(1000); // warm-up, not measured
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        measuring.set(true);
        Thread.sleep(seconds * 1000);
        measuring.set(false);
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (cpuNanos() - cpu0) / 1e9 / wall;
        stop.set(true);
        done.await(30, TimeUnit.SECONDS);
        return new Run(new ArrayList<>(lat), wall, cpu);
    }

    private static void next(PaxosCluster cluster, String name, int client, long seq, Ops ops, List<Double> lat,
                             AtomicBoolean measuring, AtomicBoolean stop, CountDownLatch done) {
        if (stop.get()) {
            done.countDown();
            return;
        }
        long t0 = System.nanoTime();
        cluster.submit(name, seq, ops.next(client, seq), 1).whenComplete((r, e) -> {
            if (measuring.get()) {
                lat.add((System.nanoTime() - t0) / 1e6);
            }
            next(cluster, name, client, seq + 1, ops, lat, measuring, stop, done);
        });
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }
}
