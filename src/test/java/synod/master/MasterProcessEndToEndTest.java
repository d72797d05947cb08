package synod.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.commons.cli.CommandLine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.simple.SimpleServiceProvider;
import synod.runtime.NodeMain;
import synod.runtime.PortBlock;

/**
 * End to end (layer 4): MasterMain as a real child JVM reading its script from stdin, spawning real
 * node JVMs. Whatever ends the master (a kill -9, EOF, KillAll, SIGTERM), no node outlives it; a
 * node killed under it is reported, not waited on. Every process a test starts is killed in
 * {@link #reapEverything} even when the test fails.
 */
@Tag("end-to-end")
public class MasterProcessEndToEndTest {
    /** Far above what each step needs (under a second or two) and far below the 30 s command timeout. */
    static final long BOUND_MILLIS = 30_000;
    static final List<String> SETUP = List.of("CreateNode 1 100", "CreateNode 2 100", "Send 1 2 10", "Receive 2");
    static final String SETUP_DONE = "1 Transfer 10";

    @TempDir
    Path tmp;
    final List<Master> masters = new ArrayList<>();
    final List<ProcessHandle> nodes = new ArrayList<>();

    /**
     * The class path for child JVMs. Surefire may run the tests with a manifest-only booter jar as
     * java.class.path (a temporary file, gone when the fork ends, which the master would hand on to
     * the nodes it spawns), so the path is rebuilt from where the classes the master and nodes need
     * were actually loaded: target/classes and the dependency jars in the local repository.
     */
    public static String childClassPath() {
        Set<String> parts = new LinkedHashSet<>();
        for (Class<?> c : List.of(MasterMain.class, NodeMain.class, ObjectMapper.class, JsonParser.class,
                JsonTypeInfo.class, CommandLine.class, LoggerFactory.class, SimpleServiceProvider.class)) {
            try {
                parts.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (URISyntaxException e) {
                throw new IllegalStateException("no code source for " + c, e);
            }
        }
        return String.join(File.pathSeparator, parts);
    }

    /**
     * {@code dir/cluster.json}: config/cluster.json on a free block of ports of its own, so that this
     * run shares no port with another run of the tests or of bin/grade on the same machine.
     */
    static Path privateConfig(Path dir) throws IOException {
        Path file = dir.resolve("cluster.json");
        PortBlock.write(Path.of("config", "cluster.json"), file);
        return file;
    }

    /** A master child process on the ports of {@code config}; stdout and stderr are read line by line into queues. */
    static final class Master {
        final Process process;
        final Path logs;
        final LinkedBlockingQueue<String> out = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<String> err = new LinkedBlockingQueue<>();
        final List<String> outSeen = new ArrayList<>();
        final List<String> errSeen = new ArrayList<>();
        static final String EOF = "\u0000EOF";

        Master(Path logs, Path config) throws IOException {
            this(logs, config, List.of("--batch"));
        }

        /** With {@code args} (options, a file) in place of --batch. */
        Master(Path logs, Path config, List<String> args) throws IOException {
            this.logs = logs;
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                    "-cp", childClassPath(), "synod.master.MasterMain", "--logs", logs.toString(),
                    "--config", config.toString()));
            cmd.addAll(args);
            process = new ProcessBuilder(cmd).start();
            pump(process.getInputStream(), out, "master-stdout");
            pump(process.getErrorStream(), err, "master-stderr");
        }

        private static void pump(InputStream in, LinkedBlockingQueue<String> q, String name) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        q.add(line);
                    }
                } catch (IOException ignored) {
                    // the process is gone; EOF below says so
                } finally {
                    q.add(EOF);
                }
            }, name);
            t.setDaemon(true);
            t.start();
        }

        void send(String... lines) throws IOException {
            OutputStream in = process.getOutputStream();
            for (String l : lines) {
                in.write((l + "\n").getBytes(StandardCharsets.UTF_8));
            }
            in.flush();
        }

        void closeStdin() throws IOException {
            process.getOutputStream().close();
        }

        /** Waits for a line matching {@code want}; fails at EOF or after the bound. */
        String await(LinkedBlockingQueue<String> q, List<String> seen, Predicate<String> want, String what)
                throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MILLIS);
            while (true) {
                String line = q.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    fail("no " + what + " within " + BOUND_MILLIS + " ms; stdout " + outSeen + ", stderr " + errSeen);
                }
                if (line.equals(EOF)) {
                    fail("stream ended before " + what + "; stdout " + outSeen + ", stderr " + errSeen);
                }
                seen.add(line);
                if (want.test(line)) {
                    return line;
                }
            }
        }

        String awaitOut(String line) throws InterruptedException {
            return await(out, outSeen, line::equals, "stdout line '" + line + "'");
        }

        String awaitErr(Predicate<String> want, String what) throws InterruptedException {
            return await(err, errSeen, want, what);
        }

        /** Everything left on a stream once the process has exited. */
        static List<String> rest(LinkedBlockingQueue<String> q, List<String> seen) throws InterruptedException {
            List<String> all = new ArrayList<>(seen);
            for (String line = q.poll(BOUND_MILLIS, TimeUnit.MILLISECONDS); line != null && !line.equals(EOF);
                 line = q.poll(BOUND_MILLIS, TimeUnit.MILLISECONDS)) {
                all.add(line);
            }
            return all;
        }

        int awaitExit() throws InterruptedException {
            assertTrue(process.waitFor(BOUND_MILLIS, TimeUnit.MILLISECONDS),
                    "the master did not exit within " + BOUND_MILLIS + " ms");
            return process.exitValue();
        }
    }

    private Master startWithTwoNodes() throws Exception {
        Master m = new Master(tmp.resolve("logs"), privateConfig(tmp));
        masters.add(m);
        m.send(SETUP.toArray(new String[0]));
        m.awaitOut(SETUP_DONE);
        nodes.add(node(m, "1"));
        nodes.add(node(m, "2"));
        return m;
    }

    /** The running node process whose pid the master wrote to logs/ID/pid. */
    private static ProcessHandle node(Master m, String id) throws IOException {
        long pid = Long.parseLong(Files.readString(m.logs.resolve(id).resolve("pid")).strip());
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        assertTrue(h.isPresent() && h.get().isAlive(), "node " + id + " (pid " + pid + ") is not running");
        String cmd = h.get().info().commandLine().orElse("");
        assertTrue(cmd.contains("synod.runtime.NodeMain") && cmd.contains("--id " + id), "pid " + pid + " is " + cmd);
        return h.get();
    }

    private static void assertExits(ProcessHandle h, String what) throws InterruptedException {
        try {
            h.onExit().get(BOUND_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            fail(what + " (pid " + h.pid() + ") still running after " + BOUND_MILLIS + " ms");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private void assertNoNodeLeft() throws InterruptedException {
        for (ProcessHandle n : nodes) {
            assertExits(n, "node");
        }
    }

    @AfterEach
    void reapEverything() throws InterruptedException {
        for (Master m : masters) {
            m.process.destroyForcibly();
        }
        for (ProcessHandle n : nodes) {
            n.destroyForcibly();
        }
        for (Master m : masters) {
            m.process.waitFor(BOUND_MILLIS, TimeUnit.MILLISECONDS);
        }
        for (ProcessHandle n : nodes) {
            n.onExit().completeOnTimeout(null, BOUND_MILLIS, TimeUnit.MILLISECONDS).join();
        }
    }

    @Test
    void nodesExitByThemselvesWhenTheMasterIsKilled() throws Exception {
        Master m = startWithTwoNodes();
        m.process.destroyForcibly();
        m.awaitExit();
        assertNoNodeLeft();
    }

    @Test
    void eofOnStdinEndsTheRunCleanlyAndLeavesNoNode() throws Exception {
        Master m = startWithTwoNodes();
        m.closeStdin();
        assertEquals(0, m.awaitExit());
        assertNoNodeLeft();
        assertEquals(List.of(SETUP_DONE), Master.rest(m.out, m.outSeen), "stdout holds only graded output");
        assertEquals(List.of(), Master.rest(m.err, m.errSeen));
    }

    @Test
    void commandsAfterKillAllAreErrorsAndNoNodeIsLeft() throws Exception {
        Master m = startWithTwoNodes();
        m.send("KillAll", "Send 2 1 5", "Receive 1");
        m.closeStdin();
        assertEquals(1, m.awaitExit());
        assertNoNodeLeft();
        assertEquals(List.of(SETUP_DONE), Master.rest(m.out, m.outSeen));
        List<String> err = Master.rest(m.err, m.errSeen);
        assertEquals(2, err.size(), err.toString());
        assertTrue(err.get(0).startsWith("stdin:6: ") && err.get(0).contains("KillAll"), err.toString());
        assertTrue(err.get(1).startsWith("stdin:7: ") && err.get(1).contains("KillAll"), err.toString());
    }

    @Test
    void errorsAreReportedWithTheirLineAndTheRunEndsWithStatusOneAndNoNode() throws Exception {
        Master m = startWithTwoNodes();
        m.send("Send 1 9 5", "Frobnicate 1", "Send 1 2 500", "Send 2 1 1", "Receive 1");
        m.closeStdin();
        assertEquals(1, m.awaitExit());
        assertNoNodeLeft();
        assertEquals(List.of(SETUP_DONE, "ERR_SEND", "2 Transfer 1"), Master.rest(m.out, m.outSeen));
        List<String> err = Master.rest(m.err, m.errSeen);
        assertEquals(2, err.size(), err.toString());
        assertTrue(err.get(0).startsWith("stdin:5: ") && err.get(0).contains("9"), err.toString());
        assertTrue(err.get(1).startsWith("stdin:6: "), err.toString());
    }

    @Test
    void sigtermToTheMasterLeavesNoNode() throws Exception {
        Master m = startWithTwoNodes();
        m.process.toHandle().destroy();
        assertEquals(143, m.awaitExit(), "killed by SIGTERM");
        assertNoNodeLeft();
    }

    @Test
    void aNodeKilledUnderTheMasterIsReportedNotWaitedOn() throws Exception {
        Master m = startWithTwoNodes();
        ProcessHandle two = nodes.get(1);
        two.destroyForcibly();
        assertExits(two, "node 2 after kill -9");
        long start = System.nanoTime();
        m.send("Send 2 1 5");
        String err = m.awaitErr(l -> l.startsWith("stdin:5: "), "an error for line 5");
        assertTrue(err.contains("node 2"), err);
        m.send("Receive 1", "Send 1 2 5");
        String next = m.awaitErr(l -> l.startsWith("stdin:6: "), "an error for line 6");
        assertTrue(next.contains("empty"), next);
        String last = m.awaitErr(l -> l.startsWith("stdin:7: "), "an error for line 7");
        assertTrue(last.contains("node 2"), last);
        long took = (System.nanoTime() - start) / 1_000_000;
        assertTrue(took < 5_000, "the master took " + took + " ms to report a dead node");
        m.closeStdin();
        assertEquals(1, m.awaitExit());
        assertNoNodeLeft();
        assertEquals(List.of(SETUP_DONE), Master.rest(m.out, m.outSeen));
    }

    /**
     * A call the master is already waiting on when its node dies: node 2 is stopped (SIGSTOP), so it
     * cannot acknowledge the transfer node 1 puts on its channel, then killed. The master must fail
     * the call as soon as node 2's connection closes, not at the 30 s command timeout. (If the kill
     * lands before the master has sent the command, the call is refused up front instead; both say
     * which node is gone.)
     */
    @Test
    void aNodeThatDiesWhileTheMasterWaitsOnItIsReported() throws Exception {
        Master m = startWithTwoNodes();
        ProcessHandle two = nodes.get(1);
        Process stop = new ProcessBuilder("kill", "-STOP", String.valueOf(two.pid())).start();
        assertTrue(stop.waitFor(BOUND_MILLIS, TimeUnit.MILLISECONDS) && stop.exitValue() == 0, "kill -STOP failed");
        long start = System.nanoTime();
        m.send("Send 1 2 5");
        two.destroyForcibly();
        String err = m.awaitErr(l -> l.startsWith("stdin:5: "), "an error for line 5");
        assertTrue(err.contains("node 2"), err);
        long took = (System.nanoTime() - start) / 1_000_000;
        assertTrue(took < 5_000, "the master took " + took + " ms to report a dead node");
        m.closeStdin();
        assertEquals(1, m.awaitExit());
        assertNoNodeLeft();
    }
}
