package synod.master;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import synod.master.BankCluster.ClusterException;

/**
 * The sets of a CSE535 file, in order, and the prompt between them (none with --batch): Enter runs
 * the next set, {@code skip} skips it, EOF stops; any other line is the runner's to answer. The same
 * for Project 1 and Project 3 files; what a set is, and which commands run between sets, is the
 * runner's.
 */
final class SetLoop {
    /** One kind of CSE535 file, as the loop drives it. */
    interface Runner {
        void runSet(CsvScript.Set s) throws ClusterException;

        /** The commands the prompt offers besides Enter and skip. */
        String menu();

        /** A line typed between sets that is neither Enter nor skip, as {@link #normalise} left it. */
        void command(String line);

        /** The line as this runner reads it; Enter and skip are recognised after this. */
        default String normalise(String line) {
            return line.strip();
        }
    }

    private SetLoop() {}

    /** Runs {@code sets}; returns false if the user ended the run at the prompt (EOF). {@code console}: null for --batch. */
    static boolean run(List<CsvScript.Set> sets, BufferedReader console, PrintStream out, Runner runner)
            throws ClusterException, IOException {
        boolean skip = false;
        for (CsvScript.Set s : sets) {
            if (skip) {
                System.err.println("set " + s.number() + " skipped");
                skip = false;
                continue;
            }
            runner.runSet(s);
            if (console != null) {
                Boolean next = prompt(s, console, out, runner);
                if (next == null) {
                    return false;
                }
                skip = !next;
            }
        }
        return true;
    }

    /** True: run the next set; false: skip it; null: EOF. */
    private static Boolean prompt(CsvScript.Set s, BufferedReader console, PrintStream out, Runner runner)
            throws IOException {
        while (true) {
            System.err.print("set " + s.number() + " done. Enter: next set; skip: skip the next set; or "
                    + runner.menu() + "> ");
            out.flush();
            String line = console.readLine();
            if (line == null) {
                return null;
            }
            String cmd = runner.normalise(line);
            if (cmd.isEmpty()) {
                return true;
            }
            if (cmd.equalsIgnoreCase("skip")) {
                return false;
            }
            runner.command(cmd);
            out.flush();
        }
    }
}
