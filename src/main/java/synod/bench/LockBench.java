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
import synod.runtime.EventLoop;
import synod.runtime.Logs;

/**
 * {@code bin/bench locks}: lock operations per second and latency (p50, p99, measured at the
 * client from submission to reply) at concurrency 1, 16 and 64 on 3 and 5 real node JVMs, fsync
 * on. Each client locks and unlocks a lock of its own, closed loop. The baseline, measured in the
 * same run on the same disk, is one record written and forced per fsync: what one op would cost
 * if nothing were batched.
 */
public final class LockBench {
    private LockBench() {}

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 3;
        Path logs = Path.of("logs", "bench-locks");
        Files.createDirectories(logs);
        Logs.toFile(logs.resolve("bench.log"));
        ClusterConfig cfg = ClusterConfig.load(Path.of("config/cluster.json"), false);
        double fsyncs = FsyncBench.rawRate(logs, "{\"rec\":\"promised\",\"ballot\":{\"round\":1,\"node\":1}}", true, 1000);
        System.out.printf("synod bench: Multi-Paxos lock service, fsync on, %d s per point, %d cores, java %s%n",
                seconds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.printf("disk baseline (same run): %.0f fsyncs/s, one record per write+force%n", fsyncs);
        System.out.println("nodes  clients      ops/s   p50 ms   p99 ms   ops per baseline fsync");
        for (int nodes : new int[] {3, 5}) {
            try (PaxosCluster cluster = new PaxosCluster(cfg, logs, null, 1)) {
                cluster.start(1, nodes);
                long deadline = EventLoop.nowMillis() + cfg.startMillis();
                while (cluster.leader(1) == null && EventLoop.nowMillis() < deadline) {
                    Thread.sleep(20); // polling for the election to finish; the benchmark measures after it
                }
                for (int clients : new int[] {1, 16, 64}) {
                    List<Double> lat = run(cluster, clients, seconds);
                    double ops = lat.size() / (double) seconds;
                    System.out.printf("%5d  %7d  %9.0f  %7.2f  %7.2f   %6.2fx%n", nodes, clients, ops,
                            pct(lat, 0.50), pct(lat, 0.99), ops / fsyncs);
                }
            }
        }
    }

    /** Closed loop: each client sends its next request when the previous one is answered. */
    private static List<Double> run(PaxosCluster cluster, int clients, long seconds) throws InterruptedException {
        List<Double> lat = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean(false);
        CountDownLatch done = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            String client = "b" + clients + "-" + c;
            next(cluster, client, 1, lat, measuring, stop, done);
        }
        Thread.sleep(1000); // warm-up, not measured
        measuring.set(true);
        Thread.sleep(seconds * 1000);
        measuring.set(false);
        stop.set(true);
        done.await(30, TimeUnit.SECONDS);
        return lat;
    }

    private static void next(PaxosCluster cluster, String client, long seq, List<Double> lat, AtomicBoolean measuring,
                             AtomicBoolean stop, CountDownLatch done) {
        if (stop.get()) {
            done.countDown();
            return;
        }
        Op op = seq % 2 == 1 ? new Op.Lock(client) : new Op.Unlock(client);
        long t0 = System.nanoTime();
        cluster.submit(client, seq, op, 1).whenComplete((r, e) -> {
            if (measuring.get()) {
                lat.add((System.nanoTime() - t0) / 1e6);
            }
            next(cluster, client, seq + 1, lat, measuring, stop, done);
        });
    }

    private static double pct(List<Double> xs, double p) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(Math.min(s.size() - 1, (int) (p * s.size())));
    }
}
