package synod.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The oracle against published outputs: the fixed expected outputs, the peer repositories'
 * alternatives (one of them hand-written wrong), and a known-wrong published output.
 */
class CheckerCasesTest {
    static final Path CASES = Path.of("test-cases/cs380d");
    /** Published (not necessarily correct) outputs, copied from ../shared/peer-cases; see SOURCE.md. */
    static final Path PEERS = CASES;

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + p, e);
        }
    }

    static List<Path> scripts() throws IOException {
        try (Stream<Path> s = Files.list(CASES)) {
            return s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
    }

    static void accepted(String script, String output) {
        Cs380dChecker.Verdict v = Cs380dChecker.check(script, output);
        assertTrue(v.accepted(), () -> v.reason() + "\n--- output:\n" + output);
    }

    static Cs380dChecker.Verdict rejected(String script, String output) {
        Cs380dChecker.Verdict v = Cs380dChecker.check(script, output);
        assertFalse(v.accepted(), () -> "accepted a wrong output:\n" + output);
        assertTrue(v.line() > 0 && v.reason().startsWith("output line " + v.line() + ": "), v.reason());
        return v;
    }

    @TestFactory
    Stream<DynamicTest> everyExpectedOutputIsAccepted() throws IOException {
        List<Path> expected;
        try (Stream<Path> s = Files.list(CASES)) {
            expected = s.filter(p -> p.toString().endsWith(".expected")).sorted().toList();
        }
        assertFalse(expected.isEmpty());
        return expected.stream().map(e -> DynamicTest.dynamicTest(e.getFileName().toString(), () -> {
            Path script = Path.of(e.toString().replaceFirst("\\.expected$", ".txt"));
            accepted(read(script), read(e));
            assertEquals(1, Cs380dChecker.possibleOutputs(read(script), 10).size(), "a fixed case has one output");
        }));
    }

    /** The alternatives of a hand-written "or" file: trimmed of blank lines, each ending in a newline. */
    static List<String> alternatives(String text) {
        List<String> alts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : (text + "\nor").split("\n")) {
            if (line.equals("or")) {
                alts.add(cur.toString().strip() + "\n");
                cur.setLength(0);
            } else {
                cur.append(line).append('\n');
            }
        }
        return alts;
    }

    @Test
    void changanCase7Alternatives() {
        String script = read(CASES.resolve("changanvr-case7.txt"));
        List<String> alts = alternatives(read(PEERS.resolve("changanvr-case7.published")));
        assertEquals(4, alts.size());
        accepted(script, alts.get(0));
        accepted(script, alts.get(1));
        accepted(script, alts.get(3));
        Cs380dChecker.Verdict v = rejected(script, alts.get(2));
        assertEquals(1, v.line(), v.reason());
        assertTrue(v.reason().contains("Started by Node 1"), v.reason());
        accepted(script, "Started by Node 1\n" + alts.get(2));
    }

    @Test
    void changanOutput5IsWrong() {
        String out = read(PEERS.resolve("changanvr-case5.published")) + "\n";
        Cs380dChecker.Verdict v = rejected(read(CASES.resolve("changanvr-case5.txt")), out);
        assertTrue(v.reason().contains("1 Transfer 400"), v.reason());
    }

    @Test
    void pskevinReadmeExample() {
        accepted(read(CASES.resolve("pskevin-readme.txt")),
                read(PEERS.resolve("pskevin-readme.published")));
    }

    @Test
    void outputMustEndWithNewline() {
        String script = read(CASES.resolve("spec-example1.txt"));
        String expected = read(CASES.resolve("spec-example1.expected"));
        rejected(script, expected.substring(0, expected.length() - 1));
        rejected(script, expected + "\n");
        rejected(script, expected.replace("\n", "\r\n"));
    }

    /**
     * A node created after a snapshot began still records it when a marker reaches it from a node
     * that recorded later; the channel from the initiator, which recorded before it existed, stays open.
     */
    @Test
    void lateNodeRecordsWhenAMarkerReachesIt() throws IOException {
        String script = String.join("\n", "CreateNode 1 100", "CreateNode 2 200", "BeginSnapshot 1", "CreateNode 3 300",
                "Receive 2 1", "Send 1 3 50", "Receive 3 2", "Receive 3 1", "CollectState", "PrintSnapshot", "");
        String expected = String.join("\n", "Started by Node 1", "1 SnapshotToken -1", "2 SnapshotToken -1",
                "1 Transfer 50", "---Node states", "node 1 = 100", "node 2 = 200", "node 3 = 300", "---Channel states",
                "channel (1 -> 2) = 0", "channel (1 -> 3) = 50", "channel (2 -> 1) = 0", "channel (2 -> 3) = 0",
                "channel (3 -> 1) = 0", "channel (3 -> 2) = 0", "");
        assertEquals(Set.of(expected), Cs380dChecker.possibleOutputs(script, 10));
        assertEquals(Set.of(expected), BruteForceOracle.outputs(script));
        accepted(script, expected);
    }

    @Test
    void rejectionNamesTheLineAndTheAlternatives() {
        String script = read(CASES.resolve("pskevin-readme.txt"));
        String good = read(PEERS.resolve("pskevin-readme.published"));
        Cs380dChecker.Verdict v = rejected(script, good.replace("node 2 = ", "node 2 = 9"));
        assertTrue(v.reason().contains("node 2 = 650") && v.reason().contains("node 2 = 1150"), v.reason());
        List<String> lines = Cs380dChecker.lines(good);
        assertEquals(lines.indexOf(lines.stream().filter(l -> l.startsWith("node 2")).findFirst().orElseThrow()) + 1,
                v.line());
    }
}
