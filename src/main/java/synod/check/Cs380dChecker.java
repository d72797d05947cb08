package synod.check;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import synod.master.Command;
import synod.master.ScriptReader;

/**
 * The oracle for CS380D runs: accepts exactly the stdout texts a correct system may print for a
 * script, and says why it rejects one (the first output line that no correct run could print
 * there, and what could be printed there instead).
 *
 * <p>It replays the script on its own {@link BankModel}, reading the output alongside: every line
 * but a {@code Receive} without sender and a snapshot's unknown values is fixed by the state; the
 * line a random {@code Receive} printed says which channel it took; the unknowns of a
 * {@code ReceiveAll} are narrowed line by line. Invariant: after each command the model describes
 * exactly the system states consistent with the output read so far.
 */
public final class Cs380dChecker {
    private Cs380dChecker() {}

    /** The decision: {@code line} is the 1-based output line at fault (0 when accepted). */
    public record Verdict(boolean accepted, int line, String reason) {
        static final Verdict OK = new Verdict(true, 0, "");
    }

    /** Thrown inside the replay to stop at the first offending output line. */
    private static final class Reject extends Exception {
        final int line;

        Reject(int line, String reason) {
            super(reason, null, false, false);
            this.line = line;
        }
    }

    public static Verdict check(String script, String output) {
        List<String> out = lines(output);
        List<Command> commands = parse(script);
        BankModel m = new BankModel();
        int[] cursor = {0};
        try {
            for (Command c : commands) {
                step(m, c, out, cursor);
            }
            if (cursor[0] < out.size()) {
                throw new Reject(cursor[0] + 1, "extra output '" + out.get(cursor[0]) + "': the script prints nothing more");
            }
        } catch (Reject r) {
            return new Verdict(false, r.line, "output line " + r.line + ": " + r.getMessage());
        }
        if (!output.isEmpty() && !output.endsWith("\n")) {
            return new Verdict(false, out.size(), "output line " + out.size() + ": no newline at the end of the output");
        }
        return Verdict.OK;
    }

    private static void step(BankModel m, Command c, List<String> out, int[] cursor) throws Reject {
        if (c instanceof Command.Receive r && r.from() == null) {
            List<Chan> ready = m.ready(r.to());
            if (ready.isEmpty()) {
                return;
            }
            List<String> options = ready.stream().map(m::headLine).toList();
            String got = next(out, cursor, c, () -> "one of " + quoted(options));
            int k = options.indexOf(got);
            if (k < 0) {
                throw new Reject(cursor[0], "'" + got + "' cannot be printed by " + describe(c) + "; possible: " + quoted(options));
            }
            m.pop(ready.get(k));
        } else if (c instanceof Command.PrintSnapshot) {
            CollectedSnapshot cs = m.printable();
            if (cs != null) {
                for (CollectedSnapshot.Line line : cs.lines()) {
                    matchLine(cs, line, next(out, cursor, c, () -> describe(line, cs)), c, cursor[0]);
                }
            }
        } else {
            for (String want : m.apply(c)) {
                String got = next(out, cursor, c, () -> "'" + want + "'");
                if (!got.equals(want)) {
                    throw new Reject(cursor[0], "expected '" + want + "' from " + describe(c) + ", got '" + got + "'");
                }
            }
        }
    }

    /** Checks one printed snapshot line and narrows the group's unknowns by what it shows. */
    private static void matchLine(CollectedSnapshot cs, CollectedSnapshot.Line line, String got, Command c, int at)
            throws Reject {
        if (line.fixed()) {
            if (!got.equals(line.text())) {
                throw new Reject(at, "expected '" + line.text() + "' from " + describe(c) + ", got '" + got + "'");
            }
            return;
        }
        Long value = valueAfter(got, line.prefix());
        SnapshotGroup before = cs.group().copy();
        if (value != null) {
            if (line.from() == null) {
                cs.group().showState(line.node(), value);
            } else {
                cs.group().showChannel(line.node(), line.from(), value, line.added());
            }
        }
        if (value == null || !cs.group().feasible()) {
            throw new Reject(at, "expected " + describe(line, before) + " from " + describe(c) + ", got '" + got + "'");
        }
    }

    /** The number after {@code prefix}, written as Java writes it; null when the line is not of that form. */
    private static Long valueAfter(String got, String prefix) {
        if (!got.startsWith(prefix)) {
            return null;
        }
        String digits = got.substring(prefix.length());
        try {
            long v = Long.parseLong(digits);
            return Long.toString(v).equals(digits) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The next output line; {@code wanted} (computed only when the output has ended) says what should follow. */
    private static String next(List<String> out, int[] cursor, Command c, Supplier<String> wanted) throws Reject {
        if (cursor[0] >= out.size()) {
            throw new Reject(cursor[0] + 1, "output ended; " + describe(c) + " prints " + wanted.get());
        }
        return out.get(cursor[0]++);
    }

    /**
     * Every output a correct system may print for {@code script}.
     *
     * @throws IllegalStateException when there are more than {@code limit}
     */
    public static Set<String> possibleOutputs(String script, long limit) {
        Set<String> results = new TreeSet<>();
        new OutputEnumerator(parse(script), limit, lines -> results.add(
                lines.stream().map(s -> s + "\n").collect(Collectors.joining()))).run();
        return results;
    }

    /**
     * How many different outputs a correct system may print for {@code script}, without building them.
     *
     * @throws IllegalStateException when there are more than {@code limit}
     */
    public static long countOutputs(String script, long limit) {
        return new OutputEnumerator(parse(script), limit, lines -> { }).run();
    }

    static TreeSet<Long> possible(CollectedSnapshot.Line line, SnapshotGroup g) {
        return line.from() == null ? g.possibleStates(line.node()) : g.possibleChannel(line.node(), line.from(), line.added());
    }

    private static String describe(CollectedSnapshot.Line line, CollectedSnapshot cs) {
        if (line.fixed()) {
            return "'" + line.text() + "'";
        }
        TreeSet<Long> values = possible(line, cs.group());
        String shown = values.stream().limit(12).map(v -> line.prefix() + v).collect(Collectors.joining("', '", "'", "'"));
        return values.size() == 1 ? shown : "one of " + shown + (values.size() > 12 ? " ..." : "");
    }

    private static String describe(CollectedSnapshot.Line line, SnapshotGroup before) {
        return describe(line, new CollectedSnapshot(List.of(line), before));
    }

    private static String describe(Command c) {
        String what;
        if (c instanceof Command.Receive r) {
            what = "Receive " + r.to() + (r.from() == null ? "" : " " + r.from());
        } else if (c instanceof Command.Send s) {
            what = "Send " + s.from() + " " + s.to() + " " + s.amount();
        } else if (c instanceof Command.BeginSnapshot b) {
            what = "BeginSnapshot " + b.id();
        } else {
            what = c.getClass().getSimpleName();
        }
        return "script line " + c.line() + " (" + what + ")";
    }

    private static String quoted(List<String> options) {
        return options.stream().collect(Collectors.joining("', '", "'", "'"));
    }

    /** The output's lines; a final newline ends the last line rather than starting an empty one. */
    static List<String> lines(String output) {
        List<String> lines = new ArrayList<>(List.of(output.split("\n", -1)));
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    static List<Command> parse(String script) {
        try {
            return ScriptReader.read(new BufferedReader(new StringReader(script))).commands();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
    }
}
