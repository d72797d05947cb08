package synod.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import synod.master.MasterProcessEndToEndTest;

/**
 * The nemesis suite ({@link NemesisRun}). In {@code make test}: a short run on three nodes (a few
 * kill -9, pause, cut-off and message-loss cycles under every workload). {@code make nemesis}
 * ({@code -Dnemesis.full=true}): three nodes, five nodes and a sharded cluster of three groups,
 * 100+ kill -9 cycles and 50+ pause, cut-off and message-loss cycles in all, and docs/reliability.md written
 * from the figures; then, where network namespaces can be made, five nodes in namespaces of their own
 * through 12 real partitions (one node from the rest, the leader in the minority, a bridge node) among
 * kill -9, pause, cut-off and loss cycles ({@link NetnsTest#run}; checked, not in the report). {@code -Dnemesis.seed=N} replays a run's faults (the load's timing is the
 * machine's); {@code -Dnemesis.plan=3x3:4:2} runs one plan (groups x replicas : kill cycles : other
 * fault cycles) and writes no report.
 */
@Tag("end-to-end")
class NemesisTest {
    @TempDir
    Path tmp;
    String classPath;

    @AfterEach
    void reap() {
        synod.master.NodeJvms.reap(null, classPath, tmp);
    }

    @Test
    void faultsUnderLoadBreakNoGuarantee() throws Exception {
        long seed = Long.getLong("nemesis.seed", 4);
        boolean full = Boolean.getBoolean("nemesis.full");
        String only = System.getProperty("nemesis.plan"); // GROUPSxREPLICAS:KILLS:FAULTS, one plan of a full run's kind
        List<NemesisRun.Plan> plans = only != null ? List.of(plan(only, seed)) : full
                ? List.of(new NemesisRun.Plan(1, 3, 55, 27, seed), new NemesisRun.Plan(1, 5, 40, 21, seed + 1),
                        new NemesisRun.Plan(3, 3, 8, 6, seed + 2))
                : List.of(new NemesisRun.Plan(1, 3, 2, 4, seed)); // 4 faults: one of each kind but kill -9
        classPath = System.getProperty("java.class.path");
        System.setProperty("java.class.path", MasterProcessEndToEndTest.childClassPath()); // the nodes' class path
        long t0 = System.nanoTime();
        List<Verdict> verdicts = new ArrayList<>();
        for (NemesisRun.Plan p : plans) {
            Path dir = tmp.resolve(p.groups() + "x" + p.replicas());
            try (NemesisRun run = NemesisRun.start(p, dir)) {
                run.startClients();
                run.runCycles();
                run.stopClients();
                Verdict v = new Verdict(run);
                verdicts.add(v);
                System.err.println("nemesis " + p.name() + ": " + v.acknowledged() + " ops acknowledged, "
                        + v.indeterminate() + " indeterminate, longest unavailability " + v.longestGap + "; violations "
                        + v.violations + (v.notes.isEmpty() ? "" : "; " + v.notes));
                System.err.println("nemesis " + p.name() + ": catch-up after each restart (ms): " + v.events.stream()
                        .filter(e -> e.restartMillis() >= 0).map(e -> String.valueOf(e.recoveredMillis())).toList());
            }
        }
        String netns = null;
        if (full && only == null) {
            // real partitions need the nodes in network namespaces: five nodes there, their master in a sixth
            String why = NetnsLab.unavailable();
            if (why == null) {
                netns = NetnsTest.run("1x5:4:2:12:" + (seed + 3), tmp.resolve("netns"), 900);
            } else {
                System.err.println("nemesis: no partition cycles: network namespaces cannot be made here: " + why);
            }
        }
        if (full && only == null) {
            Report.write(Path.of("docs", "reliability.md"), verdicts, seed, (System.nanoTime() - t0) / 1_000_000_000);
        }
        if (netns != null) {
            assertTrue(netns.contains("netns: PASS"), netns);
        }
        for (Verdict v : verdicts) {
            assertEquals(List.of(), v.violations, v.plan.name());
            assertTrue(v.ops.getOrDefault("bank", new long[2])[0] > 0, "no bank operation was acknowledged");
            if (v.plan.groups() == 1) {
                assertTrue(v.ops.getOrDefault("kv", new long[2])[0] > 0 && v.ops.getOrDefault("locks", new long[2])[0] > 0,
                        "a workload had no acknowledged operation: " + v.ops.keySet());
            }
        }
    }

    static NemesisRun.Plan plan(String spec, long seed) {
        String[] p = spec.split("[x:]");
        return new NemesisRun.Plan(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]),
                Integer.parseInt(p[3]), seed);
    }
}
