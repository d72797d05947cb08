package synod.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import synod.app.Op;
import synod.master.PaxosCluster;
import synod.runtime.ClusterConfig;
import synod.runtime.PortBlock;

/**
 * {@code bin/bench auth [SECONDS [ROUNDS]]}: what authentication costs. Two groups of 3 node JVMs run side by side
 * in one run, on ports of their own: one authenticating (handshakes, a MAC on every frame), one
 * not. Each row is measured on both in rounds of on, off, off, on, so a drift of the machine
 * (shared, 2 cores) falls on both sides alike; the ratio is auth on / auth off over all rounds,
 * and each round's ratio is printed beside it to show how much the machine moved. Each client puts to
 * a key of its own, closed loop, fsync on.
 */
public final class AuthBench {
    private AuthBench() {}

    public static void main(String[] args) throws Exception {
        onAgainstOff("authentication", "bench-auth", args, AuthBench::group);
    }

    /** Starts a warmed group of 3 with the feature on or off. */
    interface Group {
        PaxosCluster start(ClosedLoop.Setup setup, boolean on) throws Exception;
    }

    /** {@code [SECONDS [ROUNDS]]}: two groups, the feature on and off, side by side in one run. */
    static ClosedLoop.Setup onAgainstOff(String feature, String logs, String[] args, Group group) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 3;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.printf("synod bench: %s on against off, 3 nodes, fsync on, %d s per point, %d rounds of"
                + " on,off,off,on per row, %d cores, java %s%n", feature, seconds, rounds,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        ClosedLoop.Setup setup = ClosedLoop.setup(logs);
        PaxosCluster on = group.start(setup, true);
        PaxosCluster off = null;
        try {
            off = group.start(setup, false);
            sideBySide(on, nodes(setup, "on"), off, nodes(setup, "off"), seconds, rounds, feature + " bench");
        } finally {
            on.close();
            if (off != null) {
                off.close();
            }
        }
        return setup;
    }

    /**
     * The table: each row at 1, 16 and 64 clients, measured on both groups in rounds of on, off,
     * off, on; ops/s, on/off (and each round's), p50 latency and the nodes' CPU per operation.
     */
    static void sideBySide(PaxosCluster on, List<ProcessHandle> onNodes, PaxosCluster off, List<ProcessHandle> offNodes,
                           long seconds, int rounds, String what) throws InterruptedException {
        System.out.println("clients   on ops/s  off ops/s   on/off  (each round's on/off)        on p50 ms  off p50 ms"
                + "   node CPU us/op on  off  on/off");
        BenchProgress.plan(3 * rounds * 4);
        for (int clients : new int[] {1, 16, 64}) {
            double a = 0;
            double b = 0;
            double pa = 0;
            double pb = 0;
            double ca = 0;
            double cb = 0;
            StringBuilder each = new StringBuilder();
            for (int r = 0; r < rounds; r++) {
                ClosedLoop.Run a1 = point(on, onNodes, r + "a", clients, seconds, what);
                ClosedLoop.Run b1 = point(off, offNodes, r + "b", clients, seconds, what);
                ClosedLoop.Run b2 = point(off, offNodes, r + "c", clients, seconds, what);
                ClosedLoop.Run a2 = point(on, onNodes, r + "d", clients, seconds, what);
                double ra = a1.opsPerSecond() + a2.opsPerSecond();
                double rb = b1.opsPerSecond() + b2.opsPerSecond();
                a += ra;
                b += rb;
                pa += a1.pct(0.5) + a2.pct(0.5);
                pb += b1.pct(0.5) + b2.pct(0.5);
                ca += (a1.serverCpu() + a2.serverCpu()) * seconds; // CPU seconds of the nodes
                cb += (b1.serverCpu() + b2.serverCpu()) * seconds;
                each.append(String.format(" %.2f", ra / rb));
            }
            double usA = ca * 1e6 / (a * seconds); // a sums ops/s over points of `seconds` each
            double usB = cb * 1e6 / (b * seconds);
            System.out.printf("%7d  %9.0f  %9.0f   %5.3f  (%-24s)  %9.2f  %10.2f   %15.1f %5.1f  %5.3f%n", clients,
                    a / (2 * rounds), b / (2 * rounds), a / b, each.toString().strip(), pa / (2 * rounds),
                    pb / (2 * rounds), usA, usB, usA / usB);
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

    /** The node processes of the group logging under {@code name}, by their pid files. */
    static List<ProcessHandle> nodes(ClosedLoop.Setup setup, String name) throws java.io.IOException {
        List<ProcessHandle> hs = new java.util.ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            long pid = Long.parseLong(Files.readString(setup.logs().resolve(name).resolve("n" + k).resolve("pid")).strip());
            ProcessHandle.of(pid).ifPresent(hs::add);
        }
        return hs;
    }

    private static ClosedLoop.Run point(PaxosCluster cluster, List<ProcessHandle> nodes, String round, int clients,
                                        long seconds, String what) throws InterruptedException {
        String prefix = round + clients + "-";
        SynodTarget target = new SynodTarget(cluster, prefix, (c, seq) -> new Op.Put(prefix + c, "v" + seq));
        BenchProgress.point(clients + " clients, round " + round);
        ClosedLoop.Run run = ClosedLoop.run(target, clients, seconds, nodes).checked(what);
        BenchProgress.clear();
        return run;
    }
}
