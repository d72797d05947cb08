package synod.master;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import synod.master.BankCluster.ClusterException;

/**
 * The sets of a CSE535 file, in order, and the prompt between them (none with --batch), which
 * behaves like a REPL: Enter runs the next set, {@code skip} skips it, {@code help} lists what it
 * takes, {@code quit} or end of input (Ctrl-D) ends the run saying which sets were not run; a print
 * command is the runner's to answer; anything else is an error that quotes what was typed, and
 * makes the run's exit status 1. The same for Project 1 and Project 3 files; what a set is, and
 * how a print runs, is the runner's.
 */
final class SetLoop {
    /** One kind of CSE535 file, as the loop drives it. */
    interface Runner {
        void runSet(CsvScript.Set s) throws ClusterException;

        /** The print commands the prompt offers besides Enter, skip, help and quit. */
        String menu();

        /** A print command typed between sets; its errors go to {@code diag} (they name what was typed). */
        void command(Command c, BankRunner.Diagnostics diag);

        /** The line as this runner reads it; the prompt's own words are recognised after this. */
        default String normalise(String line) {
            return line.strip();
        }
    }

    /** How the loop ended: every set run or skipped (else the user quit), and how many errors were typed. */
    record Ending(boolean allRun, int errors) {}

    private SetLoop() {}

    /**
     * Runs {@code sets}, prompting between them unless {@code console} is null (--batch); the time at
     * the prompt is left out of {@code performance}.
     */
    static Ending run(List<CsvScript.Set> sets, BufferedReader console, PrintStream out, Performance performance,
                      Runner runner)
            throws ClusterException, IOException {
        boolean skip = false;
        int[] errors = {0};
        for (int i = 0; i < sets.size(); i++) {
            CsvScript.Set s = sets.get(i);
            if (skip) {
                System.err.println("set " + s.number() + " skipped");
                skip = false;
                continue;
            }
            synod.runtime.Trace t = synod.runtime.Trace.get();
            if (t != null) {
                t.note("cmd", "set " + s.number(), "set", s.number());
            }
            Progress.begin(s.number(), i + 1, sets.size(), (int) s.items().stream()
                    .filter(x -> x.kind() == CsvScript.Kind.TRANSFER || x.kind() == CsvScript.Kind.READ).count());
            try {
                runner.runSet(s);
            } finally {
                Progress.end();
            }
            if (console != null) {
                CsvScript.Set next = i + 1 < sets.size() ? sets.get(i + 1) : null;
                performance.pause(System.nanoTime());
                String answer;
                try {
                    answer = prompt(s, next, console, out, runner, errors);
                } finally {
                    performance.resume(System.nanoTime());
                }
                if (answer.equals("quit") || answer.equals("eof")) {
                    if (next != null) {
                        System.err.println((answer.equals("eof") ? "end of input" : "quit") + ": set" + notRun(sets, i + 1)
                                + " not run");
                    }
                    return new Ending(next == null, errors[0]);
                }
                skip = answer.equals("skip");
            }
        }
        return new Ending(true, errors[0]);
    }

    /** " 4" or "s 4..10": the numbers of the sets from index {@code from} on. */
    private static String notRun(List<CsvScript.Set> sets, int from) {
        int first = sets.get(from).number();
        int last = sets.get(sets.size() - 1).number();
        return from == sets.size() - 1 ? " " + first : "s " + first + ".." + last;
    }

    /** "next", "skip", "quit" or "eof", once the user has said so; print commands run meanwhile. */
    private static String prompt(CsvScript.Set s, CsvScript.Set next, BufferedReader console, PrintStream out,
                                 Runner runner, int[] errors) throws IOException {
        while (true) {
            System.err.print(next == null ? "set " + s.number() + " done, the last; Enter ends the run (help: commands)> "
                    : "set " + s.number() + " done; Enter runs set " + next.number() + ", skip skips it (help: commands)> ");
            out.flush();
            System.err.flush(); // the prompt has no newline: without a flush it would show late
            String line = console.readLine();
            if (line == null) {
                System.err.println();
                return "eof";
            }
            String cmd = runner.normalise(line);
            String word = cmd.toLowerCase(Locale.ROOT);
            if (cmd.isEmpty()) {
                return "next";
            } else if (word.equals("skip")) {
                if (next != null) {
                    return "skip";
                }
                typedWrong(line, "there is no next set to skip", errors);
            } else if (word.equals("quit") || word.equals("exit") || word.equals("q")) {
                return "quit";
            } else if (word.equals("help") || word.equals("?")) {
                System.err.println(help(runner));
            } else {
                command(line, cmd, runner, errors);
            }
            out.flush();
        }
    }

    static String help(Runner runner) {
        return "between sets:\n"
                + "  Enter          run the next set (after the last one: end the run)\n"
                + "  skip           skip the next set\n"
                + "  quit, Ctrl-D   end the run here; the sets left are not run\n"
                + "  help           this list\n"
                + "  and prints:    " + runner.menu();
    }

    /** Runs a print command typed at the prompt, or says why not, quoting what was typed. */
    private static void command(String typed, String cmd, Runner runner, int[] errors) {
        BankRunner.Diagnostics diag = new BankRunner.Diagnostics() {
            @Override
            public void error(int line, String msg) {
                typedWrong(typed, msg, errors);
            }

            @Override
            public void warning(int line, String msg) {
                System.err.println("'" + typed.strip() + "': warning: " + msg);
            }
        };
        Command c;
        try {
            c = ScriptParser.parse(0, cmd);
        } catch (ScriptParser.ScriptError e) {
            diag.error(0, e.getMessage().replaceFirst("^line \\d+: ", ""));
            return;
        }
        if (c instanceof Command.PrintDB || c instanceof Command.PrintBalance || c instanceof Command.PrintStatus
                || c instanceof Command.PrintLog || c instanceof Command.PrintView || c instanceof Command.Performance
                || c instanceof Command.PrintReshard || c instanceof Command.PrintPlacement) {
            runner.command(c, diag);
        } else if (c != null) {
            diag.error(0, "not a command between sets; they take Enter, skip, quit, help and " + runner.menu());
        }
    }

    private static void typedWrong(String typed, String msg, int[] errors) {
        System.err.println("'" + typed.strip() + "': " + msg);
        errors[0]++;
    }
}
