package synod.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import synod.app.Op;
import synod.master.PaxosCluster;
import synod.runtime.ClusterConfig;
import synod.runtime.PortBlock;

/**
 * {@code bin/bench auth}: what authentication costs. Two groups of 3 node JVMs run side by side
 * in one run, on ports of their own: one authenticating (handshakes, a MAC on every frame), one
 * not. Each point is measured on both, in the order on, off, off, on, so a drift of the machine
 * (shared, 2 cores) falls on both sides alike; the ratio is auth on / auth off. Each client puts to
 * a key of its own, closed loop, fsync on.
 */
public final class AuthBench {
    private AuthBench() {}

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 4;
        System.out.printf("synod bench: authentication on against off, 3 nodes, fsync on, %d s per point x2 each,"
                + " %d cores, java %s%n", seconds, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        ClosedLoop.Setup setup = ClosedLoop.setup("bench-auth");
        PaxosCluster on = group(setup, true);
        PaxosCluster off = null;
        try {
            off = group(setup, false);
            System.out.println("clients   on ops/s  off ops/s   on/off   on p50 ms  off p50 ms");
            for (int clients : new int[] {1, 16, 64}) {
                ClosedLoop.Run a1 = point(on, "a", clients, seconds);
                ClosedLoop.Run b1 = point(off, "b", clients, seconds);
                ClosedLoop.Run b2 = point(off, "c", clients, seconds);
                ClosedLoop.Run a2 = point(on, "d", clients, seconds);
                double a = (a1.opsPerSecond() + a2.opsPerSecond()) / 2;
                double b = (b1.opsPerSecond() + b2.opsPerSecond()) / 2;
                System.out.printf("%7d  %9.0f  %9.0f   %5.3f   %9.2f  %10.2f%n", clients, a, b, a / b,
                        (a1.pct(0.5) + a2.pct(0.5)) / 2, (b1.pct(0.5) + b2.pct(0.5)) / 2);
            }
        } finally {
            on.close();
            if (off != null) {
                off.close();
            }
        }
    }

    /** A warmed group with authentication on or off, on a block of ports of its own. */
    private static PaxosCluster group(ClosedLoop.Setup setup, boolean auth) throws Exception {
        String name = auth ? "on" : "off";
        Path dir = setup.logs().resolve(name);
        Files.createDirectories(dir);
        Path file = dir.resolve("cluster.json");
        ClusterConfig cfg = PortBlock.write(Path.of("config", "cluster.json"), file).withAuthenticate(auth);
        cfg.save(file);
        return setup.warm(ClosedLoop.Setup.group(dir, 3, cfg, file));
    }

    private static ClosedLoop.Run point(PaxosCluster cluster, String round, int clients, long seconds)
            throws InterruptedException {
        String prefix = round + clients + "-";
        SynodTarget target = new SynodTarget(cluster, prefix, (c, seq) -> new Op.Put(prefix + c, "v" + seq));
        return ClosedLoop.run(target, clients, seconds).checked("auth bench");
    }
}
