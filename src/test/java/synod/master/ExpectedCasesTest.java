package synod.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    static String runInProcess(String script, long seed) {
        return InProcessRun.run(script, seed);
    }
}
