package synod.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Layer 2: every CS380D case with a fixed expected output, run in-process on the real cores and
 * compared byte for byte. The same cases run end to end through real JVMs under bin/grade.
 */
class ExpectedCasesTest {
    static final Path CASES = Path.of("test-cases/cs380d");

    @TestFactory
    Stream<DynamicTest> everyExpectedCaseMatches() throws IOException {
        List<Path> expected;
        try (Stream<Path> s = Files.list(CASES)) {
            expected = s.filter(p -> p.toString().endsWith(".expected")).sorted().toList();
        }
        assertFalse(expected.isEmpty(), "no .expected cases found under " + CASES);
        return expected.stream().map(e -> DynamicTest.dynamicTest(e.getFileName().toString(), () -> {
            Path script = Path.of(e.toString().replaceFirst("\\.expected$", ".txt"));
            assertEquals(Files.readString(e), runInProcess(Files.readString(script), 1));
        }));
    }

    static String runInProcess(String script, long seed) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ScriptReader.Parsed parsed = ScriptReader.read(new BufferedReader(new StringReader(script)));
        try (InProcessCluster cluster = new InProcessCluster()) {
            BankRunner runner = new BankRunner(cluster, new Random(seed), out, (line, msg) -> { });
            parsed.commands().forEach(runner::run);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
