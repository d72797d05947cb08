package synod.master;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import synod.master.MasterProcessEndToEndTest.Master;
import synod.runtime.ClusterConfig;

/**
 * End to end for the Multi-Paxos lock service: a real MasterMain child JVM driven through stdin,
 * real PaxosMain node JVMs killed with kill -9, their logs torn or damaged, a node restarted by
 * hand. Each test runs on a block of ports of its own (a private config in its temp directory), so
 * it shares no port with another test or another run on the machine. {@link #reapEverything} leaves
 * no process of a test (master, its nodes, nodes started by hand: every JVM whose command line
 * names the test's log directory) running before the next starts.
 */
@Tag("end-to-end")
class PaxosEndToEndTest {
    static final long BOUND_MILLIS = 30_000;
    /** A request waits up to requestMillis (5 s) for an election before it prints anything. */
    static final long ELECTION_MILLIS = 20_000;
    static final String TORN = "5b8f68f3 {\"rec\":\"promised\",\"ballot\":{\"round\":9";
    static final Pattern VIEW = Pattern.compile("NEW-VIEW ballot \\((\\d+),(\\d+)\\) from n(\\d+) .*");
    /** Blocks of ports a test tries before it runs on whatever its last one gives. */
    static final int PORT_BLOCKS = 3;

    @TempDir
    Path tmp;
    Path logs;
    Path config;
    Master master;
    final List<Process> handStarted = new ArrayList<>();

    @BeforeEach
    void noNodeOfAnEarlierRun() throws Exception {
        logs = tmp.resolve("logs");
        poll(() -> ours("synod.").isEmpty(), "processes of an earlier test to exit");
    }

    @AfterEach
    void reapEverything() {
        if (master != null) {
            master.process.destroyForcibly();
        }
        handStarted.forEach(Process::destroyForcibly);
        List<ProcessHandle> left = ours("synod.");
        left.forEach(ProcessHandle::destroyForcibly);
        if (master != null) {
            master.process.toHandle().onExit().completeOnTimeout(null, BOUND_MILLIS, TimeUnit.MILLISECONDS).join();
        }
        for (ProcessHandle h : left) {
            h.onExit().completeOnTimeout(null, BOUND_MILLIS, TimeUnit.MILLISECONDS).join();
        }
        for (Process p : handStarted) {
            p.toHandle().onExit().completeOnTimeout(null, BOUND_MILLIS, TimeUnit.MILLISECONDS).join();
        }
        assertTrue(ours("synod.").isEmpty(), "processes left: " + ours("synod."));
    }

    /** Every live JVM of this test: its command line names {@code mainPrefix} and this test's logs. */
    private List<ProcessHandle> ours(String mainPrefix) {
        String dir = logs.toString();
        return ProcessHandle.allProcesses().filter(h -> h.pid() != ProcessHandle.current().pid())
                .filter(h -> {
                    String cmd = h.info().commandLine().orElse("");
                    return cmd.contains(mainPrefix) && cmd.contains(dir);
                }).filter(ProcessHandle::isAlive).toList();
    }

    private static void poll(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MILLIS);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("no " + what + " within " + BOUND_MILLIS + " ms");
            }
            TimeUnit.MILLISECONDS.sleep(50); // polling interval, not synchronisation
        }
    }

    /**
     * Starts the master on a fresh block of ports and sends {@code script}. The block was free when
     * probed, not held, so if the run's first word is that a port was taken, it starts over on another.
     */
    private Master startMaster(String... script) throws Exception {
        for (int block = 1; ; block++) {
            config = MasterProcessEndToEndTest.privateConfig(tmp);
            master = new Master(logs, config);
            master.send(script);
            if (block == PORT_BLOCKS || !aPortWasTaken()) {
                return master;
            }
            // said in the test's output file, so that a run which needed another block shows it
            ClusterConfig c = ClusterConfig.load(config, true);
            System.err.println("a port of " + c.masterPort() + ".." + (c.basePort() + c.maxNodes()) + " was taken ("
                    + master.err.peek() + "); starting over on another block");
            master.process.destroyForcibly();
            assertExits(master.process.toHandle(), "the master on a taken block of ports");
            poll(() -> ours("synod.").isEmpty(), "the nodes of the master on a taken block of ports to exit");
        }
    }

    /**
     * Waits for the run's first line; true if it is on stderr and says the master or a node could
     * not listen (a node says so in its node.out, the master that the node exited with status 1).
     */
    private boolean aPortWasTaken() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ELECTION_MILLIS);
        while (master.out.isEmpty() && master.err.isEmpty() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20); // polling interval, not synchronisation
        }
        String first = master.err.peek();
        if (!master.out.isEmpty() || first == null) {
            return false;
        }
        if (first.contains("cannot listen on")) {
            return true;
        }
        if (!first.contains("exited with status 1")) {
            return false;
        }
        try (var dirs = Files.list(logs)) {
            return dirs.anyMatch(d -> read(d.getFileName().toString(), "node.out").contains("cannot listen on"));
        }
    }

    private String out(String line) throws InterruptedException {
        return master.awaitOut(line);
    }

    /** Waits for the next stdout line starting {@code prefix}, however long an election takes. */
    private String outStarting(String prefix, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            String line = master.out.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.equals(Master.EOF)) {
                fail("no stdout line starting '" + prefix + "'; stdout " + master.outSeen + ", stderr " + master.errSeen);
            }
            master.outSeen.add(line);
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    private ProcessHandle node(String id) throws IOException {
        long pid = Long.parseLong(Files.readString(logs.resolve(id).resolve("pid")).strip());
        ProcessHandle h = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError(id + " (pid " + pid + ") is gone"));
        assertTrue(h.info().commandLine().orElse("").contains("synod.runtime.PaxosMain"), "pid " + pid + " is not " + id);
        return h;
    }

    private ProcessHandle kill9(String id) throws Exception {
        ProcessHandle h = node(id);
        h.destroyForcibly();
        assertExits(h, id + " after kill -9");
        return h;
    }

    private static void assertExits(ProcessHandle h, String what) throws InterruptedException {
        poll(() -> !h.isAlive(), what + " (pid " + h.pid() + ") to exit");
    }

    private String read(String id, String file) {
        try {
            Path p = logs.resolve(id).resolve(file);
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Every line of a quiescent paxos.log: newline-terminated, CHECKSUM NUMBER JSON, checksum right, numbered from 1. */
    private List<JsonNode> intactRecords(String id) throws IOException {
        byte[] all = Files.readAllBytes(logs.resolve(id).resolve("paxos.log"));
        assertTrue(all.length > 0 && all[all.length - 1] == '\n', id + "'s paxos.log does not end with a newline");
        List<JsonNode> records = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        String[] lines = new String(all, StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            assertTrue(line.length() > 9 && line.charAt(8) == ' ', id + " line " + (i + 1) + ": " + line);
            byte[] numbered = line.substring(9).getBytes(StandardCharsets.UTF_8);
            CRC32C crc = new CRC32C();
            crc.update(numbered);
            assertEquals(String.format("%08x", crc.getValue()), line.substring(0, 8), id + " line " + (i + 1) + ": " + line);
            assertTrue(line.startsWith((i + 1) + " {", 9), id + " line " + (i + 1) + " is not numbered " + (i + 1));
            records.add(json.readTree(line.substring(line.indexOf(' ', 9) + 1)));
        }
        return records;
    }

    private void startLockedCluster3() throws Exception {
        startMaster("StartCluster 1 3", "Lock c1 0", "Lock c2 0");
        out("c1 acquired 0 token 1");
        out("c2 waits for 0");
    }

    @Test
    void aTornLastLineIsCutOnRecovery() throws Exception {
        startLockedCluster3();
        kill9("n2");
        Path log = logs.resolve("n2").resolve("paxos.log");
        long before = Files.size(log);
        Files.write(log, TORN.getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
        master.send("Recover n2");
        poll(() -> read("n2", "node.log").contains("cut a torn last line off paxos.log"), "torn-tail report in n2's node.log");
        // n2 is up and serving: it reports slot 0 executed, learned from the log and its peers
        pollStatus("0", "n1 : E, n2 : E, n3 : E");
        master.closeStdin();
        assertEquals(0, master.awaitExit(), "stderr " + Master.rest(master.err, master.errSeen));
        List<JsonNode> records = intactRecords("n2");
        assertFalse(Files.readString(log).contains(TORN), "the torn line is still there");
        assertTrue(Files.size(log) >= before, "recovery cut more than the torn line");
        assertFalse(records.isEmpty());
    }

    /** Sends PrintStatus SLOT until its line starts {@code want}; returns that line. */
    private String pollStatus(String slot, String want) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MILLIS);
        while (true) {
            master.send("PrintStatus " + slot);
            String line = outStarting("n1 : ", BOUND_MILLIS);
            if (line.startsWith(want)) {
                return line;
            }
            if (System.nanoTime() > deadline) {
                fail("PrintStatus " + slot + " never started '" + want + "'; last " + line);
            }
            TimeUnit.MILLISECONDS.sleep(100); // polling interval, not synchronisation
        }
    }

    /** After n3 refused to start: the lock service goes on, and the failed Recover fails the run. */
    private void theOthersServeOn() throws Exception {
        master.send("Unlock c1 0");
        out("c1 released 0");
        out("c2 acquired 0 token 2");
        master.closeStdin();
        assertEquals(1, master.awaitExit(), "a failed Recover makes the run fail");
        assertTrue(ours("synod.runtime.PaxosMain").isEmpty());
    }

    @Test
    void damageMidFileStopsTheNodeAndTheOthersServeOn() throws Exception {
        startLockedCluster3();
        Path log = logs.resolve("n3").resolve("paxos.log");
        // Line 1 must not be the last line, or its damage reads as a torn tail and is cut: the
        // locks were decided by n1 and n2, and n3's own acceptances may still be on their way.
        poll(() -> read("n3", "paxos.log").lines().count() >= 2, "a second line in n3's log");
        kill9("n3");
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
            f.seek(12); // inside line 1's JSON
            int b = f.read();
            f.seek(12);
            f.write(b ^ 0x01);
        }
        master.send("Recover n3");
        String err = master.awaitErr(l -> l.contains("n3") && l.contains("exited with status 2"), "n3's exit status 2 on stderr");
        assertTrue(err.startsWith("stdin:4: "), err);
        String nodeOut = read("n3", "node.out");
        assertTrue(nodeOut.contains("refusing to recover"), nodeOut);
        assertTrue(nodeOut.contains(log.toString() + ": line 1 "), nodeOut);
        theOthersServeOn();
    }

    @Test
    void aWholeLineDeletedMidFileStopsTheNode() throws Exception {
        startLockedCluster3();
        Path log = logs.resolve("n3").resolve("paxos.log");
        // n3's vote for a lock, lost: the line after it must exist, or its loss reads as a crash
        // before the write (which it may have been)
        poll(() -> read("n3", "paxos.log").lines().count() >= 3, "three lines in n3's log");
        kill9("n3");
        List<String> lines = new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
        long offset = lines.get(0).getBytes(StandardCharsets.UTF_8).length + 1;
        lines.remove(1);
        Files.write(log, lines, StandardCharsets.UTF_8);
        byte[] damaged = Files.readAllBytes(log);
        master.send("Recover n3");
        master.awaitErr(l -> l.contains("n3") && l.contains("exited with status 2"), "n3's exit status 2 on stderr");
        String nodeOut = read("n3", "node.out");
        assertTrue(nodeOut.contains(log + ": line 2 at byte " + offset + ": the checksum matches but this is record 3, "
                + "not 2: a record before it is missing"), nodeOut);
        assertTrue(nodeOut.contains("refusing to recover"), nodeOut);
        assertArrayEquals(damaged, Files.readAllBytes(log), "a refused log is left as found");
        theOthersServeOn();
    }

    @Test
    void aSecondCopyOfARunningNodeRefusesToStartAndTouchesNothing() throws Exception {
        startLockedCluster3();
        String pid = read("n2", "pid");
        String nodeLog = read("n2", "node.log");
        Process copy = new ProcessBuilder(handNode("2")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve("copy-n2.out").toFile())).start();
        handStarted.add(copy);
        assertTrue(copy.waitFor(BOUND_MILLIS, TimeUnit.MILLISECONDS), "the second n2 did not exit");
        assertEquals(2, copy.exitValue());
        String said = Files.readString(tmp.resolve("copy-n2.out"));
        assertTrue(said.contains("n2 is already running") && said.contains("refusing to start a second copy"), said);
        assertEquals(pid, read("n2", "pid"), "the running n2's pid file was overwritten");
        assertTrue(read("n2", "node.log").startsWith(nodeLog), "the running n2's node.log was replaced");
        master.send("Unlock c1 0");
        out("c1 released 0");
        out("c2 acquired 0 token 2");
        master.closeStdin();
        assertEquals(0, master.awaitExit(), "stderr " + Master.rest(master.err, master.errSeen));
    }

    /** The command line of node {@code id} started by hand on this test's logs. */
    private List<String> handNode(String id) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                "-cp", MasterProcessEndToEndTest.childClassPath(), "synod.runtime.PaxosMain",
                "--id", id, "--logs", logs.toString(), "--config", config.toString());
    }

    @Test
    void aNodeRestartedByHandCatchesUpAndFailKillsIt() throws Exception {
        startMaster("StartCluster 1 5", "Lock c1 0");
        out("c1 acquired 0 token 1");
        kill9("n3");
        kill9("n4");
        master.send("Lock c2 0");
        out("c2 waits for 0");
        Process hand = new ProcessBuilder(handNode("3")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve("hand-n3.out").toFile())).start();
        handStarted.add(hand);
        poll(() -> read("n3", "pid").strip().equals(String.valueOf(hand.pid())), "the hand-started n3's pid file");
        String status = pollStatus("1", "n1 : E, n2 : E, n3 : E");
        assertTrue(status.contains("n4 : X"), status);
        master.send("Fail n3");
        assertExits(hand.toHandle(), "the hand-started n3 after Fail n3");
        master.closeStdin();
        assertEquals(0, master.awaitExit(), "stderr " + Master.rest(master.err, master.errSeen));
        poll(() -> ours("synod.runtime.PaxosMain").isEmpty(), "every PaxosMain of this test to exit");
    }

    @Test
    void aNodeRestartedByHandExitsWithItsMaster() throws Exception {
        startMaster("StartCluster 1 3", "Lock c1 0");
        out("c1 acquired 0 token 1");
        kill9("n3");
        Process hand = new ProcessBuilder(handNode("3")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve("hand-n3.out").toFile())).start();
        handStarted.add(hand);
        pollStatus("0", "n1 : E, n2 : E, n3 : E"); // the hand-started n3 is connected and caught up
        String said = Files.readString(tmp.resolve("hand-n3.out"));
        assertTrue(said.contains("n3 (pid " + hand.pid() + ")") && said.contains("listens on")
                && said.contains("logs in " + logs.resolve("n3")), said);
        master.process.destroyForcibly(); // kill -9: the master cannot stop it
        assertExits(master.process.toHandle(), "the master");
        assertExits(hand.toHandle(), "the hand-started n3 after its master vanished");
    }

    @Test
    void aMasterRefusesToWipeTheLogsOfARunningNode() throws Exception {
        config = MasterProcessEndToEndTest.privateConfig(tmp);
        // a node started by hand with no master running serves alone, holding logs/n2/lock (with a
        // cluster key of its own: a node without one refuses to start)
        Files.createDirectories(logs.resolve("n2"));
        synod.runtime.ClusterKey.generate(new java.security.SecureRandom())
                .save(logs.resolve("n2").resolve(synod.runtime.ClusterKey.FILE));
        Process hand = new ProcessBuilder(handNode("2")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve("hand-n2.out").toFile())).start();
        handStarted.add(hand);
        poll(() -> read("n2", "pid").strip().equals(String.valueOf(hand.pid())), "the hand-started n2's pid file");
        poll(() -> read("n2", "node.log").contains("recovered"), "the hand-started n2 to open its log");
        Path paxosLog = logs.resolve("n2").resolve("paxos.log");
        Object inode = Files.getAttribute(paxosLog, "unix:ino");
        master = new Master(logs, config);
        master.send("StartCluster 1 3", "Lock c1 0");
        String err = master.awaitErr(l -> l.startsWith("stdin:1: "), "StartCluster's refusal");
        assertTrue(err.contains("refusing to start: n2 (pid " + hand.pid() + ") is still running")
                && err.contains("kill " + hand.pid()), err);
        String next = master.awaitErr(l -> l.startsWith("stdin:2: "), "Lock's error");
        assertTrue(next.contains("no cluster"), next);
        master.closeStdin();
        assertEquals(1, master.awaitExit());
        assertTrue(hand.isAlive(), "the hand-started n2 was stopped");
        assertEquals(inode, Files.getAttribute(paxosLog, "unix:ino"), "n2's paxos.log was replaced under it");
        assertEquals(String.valueOf(hand.pid()), read("n2", "pid").strip(), "n2's pid file was rewritten");
        assertFalse(Files.exists(logs.resolve("n1").resolve("paxos.log")), "a node was started anyway");
    }

    @Test
    void everyNodeThatCannotListenIsReported() throws Exception {
        config = MasterProcessEndToEndTest.privateConfig(tmp);
        ClusterConfig c = ClusterConfig.load(config, true);
        try (var s2 = new java.net.ServerSocket(c.port("n2"), 1, java.net.InetAddress.getByName(c.host()));
             var s3 = new java.net.ServerSocket(c.port("n3"), 1, java.net.InetAddress.getByName(c.host()))) {
            master = new Master(logs, config);
            master.send("StartCluster 1 3");
            String err = master.awaitErr(l -> l.startsWith("stdin:1: "), "StartCluster's failure");
            assertTrue(err.contains("n2 exited with status 1") && err.contains("n3 exited with status 1")
                    && err.contains("cannot listen"), err);
            assertFalse(err.contains("n1 exited"), err);
            master.closeStdin();
            assertEquals(1, master.awaitExit());
        }
        poll(() -> ours("synod.runtime.PaxosMain").isEmpty(), "n1 to be stopped after the failed start");
    }

    /** A bin/client child process on this test's config; its stdout is read line by line. */
    private final class HandClient {
        final Process process;
        final java.util.concurrent.LinkedBlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        final List<String> seen = new ArrayList<>();

        HandClient(String name, String nodes) throws IOException {
            process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                    "-cp", MasterProcessEndToEndTest.childClassPath(), "synod.client.ClientMain",
                    "--name", name, "--nodes", nodes, "--config", config.toString())
                    .directory(tmp.toFile()).redirectError(tmp.resolve(name + ".err").toFile()).start();
            handStarted.add(process);
            Thread t = new Thread(() -> {
                try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        lines.add(l);
                    }
                } catch (IOException ignored) {
                    // the client is gone; the test's wait runs out and says so
                }
            }, name + "-stdout");
            t.setDaemon(true);
            t.start();
        }

        void send(String line) throws IOException {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        }

        /** The next line starting {@code prefix}; the lines before it are kept in {@link #seen}. */
        String await(String prefix) throws InterruptedException {
            while (true) {
                String l = lines.poll(ELECTION_MILLIS, TimeUnit.MILLISECONDS);
                if (l == null) {
                    fail("the client printed no line starting '" + prefix + "'; it printed " + seen);
                }
                seen.add(l);
                if (l.startsWith(prefix)) {
                    return l;
                }
            }
        }
    }

    @Test
    void aWaitersGrantReachesItOnceWhoeverReleasedTheLock() throws Exception {
        startMaster("StartCluster 1 3", "Fail n1");
        // alice's first request goes to n1, which is down: unanswered, she sends it to every node, so
        // both n2 and n3 know her and each tells her of a grant
        HandClient alice = new HandClient("alice", "n1,n2,n3");
        alice.await("alice talks to");
        alice.send("lock 7");
        assertEquals("alice acquired 7 token 1", alice.await("alice "));
        master.send("Lock c1 7");
        out("c1 waits for 7");
        alice.send("unlock 7");
        assertEquals("alice released 7", alice.await("alice "));
        master.send("Sleep 2000");
        outStarting("c1 acquired 7 token 2", ELECTION_MILLIS); // printed during the Sleep, when it happens

        alice.send("lock 7");
        assertEquals("alice waits for 7", alice.await("alice "));
        master.send("Unlock c1 7");
        out("c1 released 7");
        out("alice acquired 7 token 3");
        assertEquals("alice acquired 7 token 3", alice.await("alice "));
        master.send("PrintStatus 0"); // a print settles first: every running node applied the grant, and told alice
        outStarting("n1 : X, n2 : E, n3 : E", BOUND_MILLIS);
        alice.send("status");
        alice.await("alice: leader");
        assertEquals(1, alice.seen.stream().filter(l -> l.equals("alice acquired 7 token 3")).count(),
                "alice heard her grant more than once: " + alice.seen);
        alice.send("quit");
        assertTrue(alice.process.waitFor(BOUND_MILLIS, TimeUnit.MILLISECONDS), "alice did not quit");
        master.closeStdin();
        assertEquals(0, master.awaitExit(), "stderr " + Master.rest(master.err, master.errSeen));
        assertEquals(1, master.outSeen.stream().filter(l -> l.equals("c1 acquired 7 token 2")).count(),
                "stdout " + master.outSeen);
    }

    @Test
    void everyGroupNumberOutsideTheClusterIsRefusedWithOneMessage() throws Exception {
        startMaster("StartCluster 1 1", "FailLeader 5", "FailLeader 0", "FailLeader -1", "PrintStatus 0 2",
                "CutLeader 99999999999", "PrintStatus 0");
        out("n1 : X"); // the one node is still there: nothing was killed
        for (String[] want : new String[][] {{"2", "5"}, {"3", "0"}, {"4", "-1"}, {"5", "2"}, {"6", "99999999999"}}) {
            String err = master.awaitErr(l -> l.startsWith("stdin:" + want[0] + ": "), "an error for line " + want[0]);
            assertEquals("stdin:" + want[0] + ": no group " + want[1] + ": this cluster has one group, 1", err);
        }
        master.closeStdin();
        assertEquals(1, master.awaitExit());
    }

    @Test
    void aRestartedNodeNeverReusesABallot() throws Exception {
        startMaster("StartCluster 1 3", "Lock c1 0");
        out("c1 acquired 0 token 1");
        List<long[]> leaders = new ArrayList<>();
        leaders.add(newestView());
        // three rounds of FailLeader, each failed leader restarted after its successor is elected:
        // by the third, a restarted node is leading again, and must do so on a fresh ballot
        List<String> failed = new ArrayList<>();
        boolean restartedLeads = false;
        for (int round = 1; round <= 3; round++) {
            String leader = "n" + leaders.get(leaders.size() - 1)[1];
            ProcessHandle h = node(leader);
            master.send("FailLeader");
            assertExits(h, "leader " + leader + " in round " + round);
            failed.add(leader);
            String client = "c" + (round + 1);
            master.send("Lock " + client + " 0");
            outStarting(client + " waits for 0", ELECTION_MILLIS);
            long[] next = newestView();
            leaders.add(next);
            restartedLeads |= failed.contains("n" + next[1]);
            master.send("Recover " + leader);
        }
        assertTrue(restartedLeads, "no restarted node led again; stdout " + master.outSeen);
        master.send("PrintStatus 0");
        outStarting("n1 : ", BOUND_MILLIS);
        master.closeStdin();
        assertEquals(0, master.awaitExit(), "stderr " + Master.rest(master.err, master.errSeen));

        for (int i = 1; i < leaders.size(); i++) {
            long[] a = leaders.get(i - 1);
            long[] b = leaders.get(i);
            assertTrue(b[0] > a[0] || (b[0] == a[0] && b[1] > a[1]),
                    "leader ballots do not increase: (" + a[0] + "," + a[1] + ") then (" + b[0] + "," + b[1] + ")");
            assertTrue(b[1] != a[1], "the failed leader n" + a[1] + " still leads");
        }
        int promises = 0;
        for (String id : List.of("n1", "n2", "n3")) {
            long[] last = null;
            for (JsonNode r : intactRecords(id)) {
                if (!r.path("rec").asText().equals("promised")) {
                    continue;
                }
                long[] ballot = {r.path("ballot").path("round").asLong(), r.path("ballot").path("node").asLong()};
                assertTrue(last == null || ballot[0] > last[0] || (ballot[0] == last[0] && ballot[1] > last[1]),
                        id + " promised (" + ballot[0] + "," + ballot[1] + ") after (" + (last == null ? "" : last[0] + "," + last[1]) + ")");
                last = ballot;
                promises++;
            }
        }
        assertTrue(promises >= 3, "only " + promises + " promised records in all");
    }

    /**
     * PrintView, then PrintStatus 0 to mark its end; returns the highest NEW-VIEW ballot as
     * {round, node}, checking that every view's sender is its ballot's node.
     */
    private long[] newestView() throws Exception {
        master.send("PrintView", "PrintStatus 0");
        long[] best = null;
        while (true) {
            String line = outStarting("", BOUND_MILLIS);
            if (line.startsWith("n1 : ")) {
                break;
            }
            Matcher m = VIEW.matcher(line);
            assertTrue(m.matches(), "not a view: " + line);
            long[] b = {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
            assertEquals(m.group(2), m.group(3), line);
            if (best == null || b[0] > best[0] || (b[0] == best[0] && b[1] > best[1])) {
                best = b;
            }
        }
        assertTrue(best != null, "PrintView printed no view; stdout " + master.outSeen);
        return best;
    }
}
