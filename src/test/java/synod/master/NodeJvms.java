package synod.master;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the tests that run a group of real node JVMs from a {@link PaxosCluster} in this JVM share. */
public final class NodeJvms {
    private NodeJvms() {}

    /**
     * A master's cluster for one test, on a private config (a block of free ports) under {@code tmp},
     * whose node JVMs run this build's classes; {@link #close} reaps it and puts the class path back.
     */
    static final class Live implements AutoCloseable {
        final PaxosCluster cluster;
        private final String classPath;
        private final Path tmp;

        Live(Path tmp, long seed) throws java.io.IOException {
            this.tmp = tmp;
            Path config = MasterProcessEndToEndTest.privateConfig(tmp);
            classPath = System.getProperty("java.class.path");
            System.setProperty("java.class.path", MasterProcessEndToEndTest.childClassPath());
            try {
                cluster = new PaxosCluster(synod.runtime.ClusterConfig.load(config, true), tmp.resolve("logs"), config,
                        seed);
            } catch (java.io.IOException | RuntimeException e) {
                System.setProperty("java.class.path", classPath);
                throw e;
            }
        }

        @Override
        public void close() {
            reap(cluster, classPath, tmp);
        }
    }

    /**
     * Closes {@code cluster} (if any), puts back the class path the test replaced with the nodes'
     * (if it did), and kills and fails on any process whose command line names {@code tmp}.
     */
    public static void reap(PaxosCluster cluster, String classPath, Path tmp) {
        if (cluster != null) {
            cluster.close();
        }
        if (classPath != null) {
            System.setProperty("java.class.path", classPath);
        }
        String dir = tmp.toString();
        List<ProcessHandle> left = ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("")
                .contains(dir)).toList();
        left.forEach(ProcessHandle::destroyForcibly);
        assertTrue(left.isEmpty(), "processes left: " + left);
    }

    /** Each node of group 1's state, as its "state" query answers. */
    static Map<String, String> states(PaxosCluster cluster, long millis) {
        Map<String, String> s = new TreeMap<>();
        for (String n : cluster.group(1)) {
            List<String> lines = cluster.query(n, "state", 0, millis);
            assertNotNull(lines, n + " does not answer");
            s.put(n, lines.get(0));
        }
        return s;
    }
}
