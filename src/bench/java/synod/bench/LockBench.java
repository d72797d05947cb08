package synod.bench;

import synod.app.Op;
import synod.master.PaxosCluster;

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
        System.out.printf("synod bench: Multi-Paxos lock service, fsync on, %d s per point, %d cores, java %s%n",
                seconds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        ClosedLoop.Setup setup = ClosedLoop.setup("bench-locks");
        double fsyncs = setup.fsyncsPerSecond();
        System.out.println("nodes  clients      ops/s   p50 ms   p99 ms   ops per baseline fsync");
        BenchProgress.plan(6);
        for (int nodes : new int[] {3, 5}) {
            BenchProgress.phase(nodes + " nodes, warming up");
            try (PaxosCluster cluster = setup.warmedGroup(nodes)) {
                for (int clients : new int[] {1, 16, 64}) {
                    // each client locks and unlocks a lock of its own (fresh names per round: a lock
                    // left held when the previous round stopped must not make anyone wait)
                    String round = "L" + clients + "-";
                    SynodTarget target = new SynodTarget(cluster, "b" + clients + "-",
                            (c, seq) -> seq % 2 == 1 ? new Op.Lock(round + c) : new Op.Unlock(round + c));
                    BenchProgress.point(nodes + " nodes, " + clients + " clients");
                    ClosedLoop.Run r = ClosedLoop.run(target, clients, seconds).checked("lock bench");
                    BenchProgress.clear();
                    System.out.printf("%5d  %7d  %9.0f  %7.2f  %7.2f   %6.2fx%n", nodes, clients, r.opsPerSecond(),
                            r.pct(0.50), r.pct(0.99), r.opsPerSecond() / fsyncs);
                }
            }
        }
    }
}
