package synod.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.PrintStream;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The prompt between the sets of a CSE535 file, typed at from a string. */
class SetLoopTest {
    private final List<String> ran = new ArrayList<>();
    private final List<String> commands = new ArrayList<>();
    private final List<CsvScript.Set> sets = List.of(set(1), set(2), set(3), set(4));

    private static CsvScript.Set set(int n) {
        return new CsvScript.Set(n, List.of("n1"), List.of());
    }

    private boolean run(String typed, boolean stripsParentheses) throws Exception {
        return SetLoop.run(sets, new BufferedReader(new StringReader(typed)), new PrintStream(java.io.OutputStream.nullOutputStream()),
                new SetLoop.Runner() {
                    @Override
                    public void runSet(CsvScript.Set s) {
                        ran.add("set " + s.number());
                    }

                    @Override
                    public String menu() {
                        return "PrintDB";
                    }

                    @Override
                    public void command(String line) {
                        commands.add(line);
                    }

                    @Override
                    public String normalise(String line) {
                        return stripsParentheses ? line.replaceAll("[();]", " ").strip() : line.strip();
                    }
                });
    }

    @Test
    void enterRunsTheNextSetSkipSkipsItAndOtherLinesAreCommands() throws Exception {
        assertTrue(run("  PrintDB \n\nskip\n\n\n", false));
        assertEquals(List.of("set 1", "set 2", "set 4"), ran);
        assertEquals(List.of("PrintDB"), commands);
    }

    @Test
    void endOfInputAtThePromptEndsTheRun() throws Exception {
        assertFalse(run("\n", false));
        assertEquals(List.of("set 1", "set 2"), ran);
    }

    @Test
    void whatCountsAsEnterOrSkipIsReadAfterTheRunnersNormalising() throws Exception {
        assertTrue(run("PrintBalance(4005);\n();\nSKIP;\n\n", true));
        assertEquals(List.of("set 1", "set 2", "set 4"), ran);
        assertEquals(List.of("PrintBalance 4005"), commands);
    }

    @Test
    void withoutAConsoleEverySetRuns() throws Exception {
        assertTrue(SetLoop.run(sets, null, System.out, new SetLoop.Runner() {
            @Override
            public void runSet(CsvScript.Set s) {
                ran.add("set " + s.number());
            }

            @Override
            public String menu() {
                return "";
            }

            @Override
            public void command(String line) {
                commands.add(line);
            }
        }));
        assertEquals(4, ran.size());
    }
}
