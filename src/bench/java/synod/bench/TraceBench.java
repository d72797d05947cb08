package synod.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import synod.master.PaxosCluster;
import synod.master.ProcessCluster;
import synod.runtime.ClusterConfig;
import synod.runtime.PortBlock;

/**
 * {@code bin/bench trace [SECONDS [ROUNDS]]}: what tracing costs the nodes. Two groups of 3 node
 * JVMs side by side in one run, as {@link AuthBench}'s: one started with {@code --trace} (every
 * message, record and point written to logs/nN/trace.jsonl, a stamp frame before each message
 * between nodes), one not. The load generator itself is not traced (its requests carry no stamp),
 * so this is the nodes' cost, which is where a traced demo spends it.
 */
public final class TraceBench {
    private TraceBench() {}

    public static void main(String[] args) throws Exception {
        ClosedLoop.Setup setup = AuthBench.onAgainstOff("tracing", "bench-trace", args, TraceBench::group);
        long bytes = 0;
        for (int k = 1; k <= 3; k++) {
            Path f = setup.logs().resolve("on").resolve("n" + k).resolve(synod.runtime.Trace.FILE);
            bytes += Files.exists(f) ? Files.size(f) : 0;
        }
        System.out.printf("traced nodes wrote %.1f MB of events%n", bytes / 1e6);
    }

    /** A warmed group of 3, traced or not, on a block of ports of its own. */
    private static PaxosCluster group(ClosedLoop.Setup setup, boolean traced) throws Exception {
        String name = traced ? "on" : "off";
        Path dir = setup.logs().resolve(name);
        Files.createDirectories(dir);
        synod.runtime.Trace.clear(dir); // an earlier run's: the nodes would append to it
        Path file = dir.resolve("cluster.json");
        ClusterConfig cfg = PortBlock.write(Path.of("config", "cluster.json"), file);
        ProcessCluster.traceNodes(traced); // read as each node is spawned, which group() does now
        try {
            return setup.warm(ClosedLoop.Setup.group(dir, 3, cfg, file));
        } finally {
            ProcessCluster.traceNodes(false);
        }
    }
}
