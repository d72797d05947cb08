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
    private final Performance performance = new Performance();
    private final List<CsvScript.Set> sets = List.of(set(1), set(2), set(3), set(4));

    private static CsvScript.Set set(int n) {
        return new CsvScript.Set(n, List.of("n1"), List.of());
    }

    private SetLoop.Ending run(String typed, boolean stripsParentheses) throws Exception {
        return SetLoop.run(sets, new BufferedReader(new StringReader(typed)), new PrintStream(java.io.OutputStream.nullOutputStream()),
                performance, new SetLoop.Runner() {
                    @Override
                    public void runSet(CsvScript.Set s) {
                        ran.add("set " + s.number());
                    }

                    @Override
                    public String menu() {
                        return "PrintDB";
                    }

                    @Override
                    public void command(Command c, BankRunner.Diagnostics diag) {
                        commands.add(c.getClass().getSimpleName());
                        if (c instanceof Command.PrintStatus) {
                            diag.error(0, "no group 7");
                        }
                    }

                    @Override
                    public String normalise(String line) {
                        return stripsParentheses ? line.replaceAll("[();]", " ").strip() : line.strip();
                    }
                });
    }

    @Test
    void enterRunsTheNextSetSkipSkipsItAndPrintsAreTheRunners() throws Exception {
        assertEquals(new SetLoop.Ending(true, 0), run("  PrintDB \n\nskip\n\n\n", false));
        assertEquals(List.of("set 1", "set 2", "set 4"), ran);
        assertEquals(List.of("PrintDB"), commands);
        // every prompt's pause is closed again: a request after the loop counts in full
        long later = System.nanoTime() + 1_000_000_000L;
        performance.record(later, later + 1_000_000_000L);
        assertTrue(performance.line().contains("latency mean 1000.00 ms"), performance.line());
    }

    @Test
    void endOfInputOrQuitAtThePromptEndsTheRunAndErrorsAreCounted() throws Exception {
        assertEquals(new SetLoop.Ending(false, 0), run("\n", false));
        assertEquals(List.of("set 1", "set 2"), ran);
        ran.clear();
        assertEquals(new SetLoop.Ending(false, 3), run("Transfer A B 1\nPrintStatus 0 7\nbogus\nQUIT\n", false));
        assertEquals(List.of("set 1"), ran);
        assertEquals(List.of("PrintStatus"), commands, "only the print reaches the runner");
    }

    @Test
    void helpIsNoErrorAndSkipAfterTheLastSetIsOne() throws Exception {
        assertEquals(new SetLoop.Ending(true, 1), run("help\n?\n\n\n\nskip\n\n", false));
        assertEquals(List.of("set 1", "set 2", "set 3", "set 4"), ran);
    }

    @Test
    void whatCountsAsEnterOrSkipIsReadAfterTheRunnersNormalising() throws Exception {
        assertTrue(run("PrintBalance(4005);\n();\nSKIP;\n\n", true).allRun());
        assertEquals(List.of("set 1", "set 2", "set 4"), ran);
        assertEquals(List.of("PrintBalance"), commands);
    }

    @Test
    void withoutAConsoleEverySetRuns() throws Exception {
        SetLoop.Ending end = SetLoop.run(sets, null, System.out, performance, new SetLoop.Runner() {
            @Override
            public void runSet(CsvScript.Set s) {
                ran.add("set " + s.number());
            }

            @Override
            public String menu() {
                return "";
            }

            @Override
            public void command(Command c, BankRunner.Diagnostics diag) {
                commands.add(c.toString());
            }
        });
        assertTrue(end.allRun());
        assertEquals(4, ran.size());
        assertFalse(commands.iterator().hasNext());
    }
}
