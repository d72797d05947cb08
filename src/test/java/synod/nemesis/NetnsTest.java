package synod.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import synod.master.MasterProcessEndToEndTest;

/**
 * A group of three across network namespaces ({@link NetnsLab}), its master in a fourth: the
 * network's cut is first checked to be real (a connection that was refused, so reachable, times
 * out under the cut and is refused again after the heal), then a nemesis run ({@link NetnsMain},
 * in the master's namespace) puts kv, bank and lock clients on the group through one kill -9 and
 * three partitions (one node from the rest, the leader in the minority, a bridge node), healed
 * each time, and checks the history (linearizability per key, the bank's invariants, the locks').
 * At the end no namespace of the run is left. Skipped, saying why, where namespaces cannot be made
 * (not root, no iproute2 or nftables: {@code make test-netns} installs them).
 */
@Tag("end-to-end")
class NetnsTest {
    /** The child's bound for the default plan, which takes 30-40 s on a loaded two-core machine; a longer plan gets more. */
    static final long RUN_SECONDS = 150;

    @TempDir
    Path tmp;

    @Test
    void aGroupAcrossNamespacesSurvivesRealPartitionsLinearizably() throws Exception {
        String why = NetnsLab.unavailable();
        if (why != null) {
            System.err.println("NetnsTest: skipped: network namespaces cannot be made here: " + why);
        }
        Assumptions.assumeTrue(why == null, "network namespaces cannot be made here: " + why);
        String plan = System.getProperty("netns.plan", "1x3:1:0:3"); // GROUPSxREPLICAS:KILLS:FAULTS:PARTITIONS
        String out = run(plan + ":" + Long.getLong("nemesis.seed", 14), tmp, plan.equals("1x3:1:0:3") ? RUN_SECONDS : RUN_SECONDS * 6);
        assertTrue(out.contains("netns: PASS"), out);
        for (String kind : NemesisRun.PARTITIONS) {
            assertTrue(out.contains(kind), "no \"" + kind + "\" cycle: " + out);
        }
    }

    /**
     * Makes a network for PLAN's nodes, checks its cut, runs {@link NetnsMain} on it in the master's
     * namespace (bounded by {@code seconds}), removes the network and checks it is gone; returns
     * what the run printed (also on stderr).
     */
    static String run(String plan, Path dir, long seconds) throws Exception {
        String[] p = plan.split("[x:]");
        int n = Integer.parseInt(p[0]) * Integer.parseInt(p[1]);
        List<String> nodes = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            nodes.add("n" + k);
        }
        String run;
        Path log = dir.resolve("netns.out");
        long t0 = System.nanoTime();
        try (NetnsLab lab = NetnsLab.create(nodes)) {
            run = lab.run;
            theCutIsReal(lab);
            List<String> cmd = new ArrayList<>(lab.exec(NetnsLab.MASTER));
            cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Dorg.slf4j.simpleLogger.logFile=" + dir.resolve("master.log"), "-cp", MasterProcessEndToEndTest.childClassPath()
                    + File.pathSeparator + testClasses(), NetnsMain.class.getName(), run, dir.resolve("run").toString(),
                    plan));
            Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                if (!child.waitFor(seconds, TimeUnit.SECONDS)) {
                    child.destroy(); // SIGTERM: its hook ends the nodes and the cuts
                    child.waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError("the run did not end within " + seconds + " s:\n" + Files.readString(log));
                }
            } finally {
                child.destroyForcibly();
            }
            String out = Files.readString(log);
            System.err.print(out);
            assertEquals(0, child.exitValue(), out);
        }
        List<String> left = NetnsLab.names().stream().filter(s -> s.startsWith(run)).toList();
        assertEquals(List.of(), left, "namespaces of the run are left");
        System.err.printf("NetnsTest: %s in %.1f s, network removed%n", plan, (System.nanoTime() - t0) / 1e9);
        return Files.readString(log);
    }

    /** A TCP connection from n1 to a closed port of n2 is refused (reachable), lost under a cut, refused again after the heal. */
    private static void theCutIsReal(NetnsLab lab) throws Exception {
        assertEquals("refused", probe(lab, "n1", "n2"), "n1 does not reach n2 on a whole network");
        lab.cut(Map.of("n1", Set.of("n2"), "n2", Set.of("n1")));
        assertTrue(lab.rules("n1").contains(NetnsLab.TABLE), lab.rules("n1"));
        assertEquals("lost", probe(lab, "n1", "n2"), "the cut lets n1 reach n2");
        assertEquals("refused", probe(lab, "n1", "n3"), "the cut of n2 also cuts n3");
        assertEquals("refused", probe(lab, NetnsLab.MASTER, "n1"), "the cut also cuts the master");
        lab.heal();
        assertFalse(lab.rules("n1").contains(NetnsLab.TABLE), lab.rules("n1"));
        assertEquals("refused", probe(lab, "n1", "n2"), "the heal leaves n1 cut from n2");
    }

    /** "refused" if {@code from} reaches {@code to} (port 9 is closed there), "lost" if nothing comes back in 1 s. */
    private static String probe(NetnsLab lab, String from, String to) {
        List<String> cmd = new ArrayList<>(lab.exec(from));
        cmd.addAll(List.of("timeout", "1", "bash", "-c", "exec 3<>/dev/tcp/" + NetnsLab.address(to) + "/9"));
        NetnsLab.Result r = NetnsLab.sh(cmd);
        return r.status() == 124 ? "lost" : r.out().contains("refused") ? "refused" : "other: " + r;
    }

    private static String testClasses() throws URISyntaxException {
        return Path.of(NetnsMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
