package synod.check;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import synod.master.CsvScript;

/**
 * Grades a run of a CSE535 Project 3 file ({@code bin/master --batch FILE.csv}), whose exact text
 * legitimately varies: concurrent clients interleave, elections differ. It replays the file's
 * semantics on its own model ({@link P3Model}: items 1..9000 range-sharded, 10 each after every
 * FLUSH, a group decides only while a majority of its nodes is live, barriers order the set) and
 * accepts an output only if, for every set in order:
 *
 * <ul>
 *   <li>the set's header is followed by exactly one result per transaction and read, in file order;
 *   <li>a request whose client could never reach a group with a majority (or queued behind one that
 *       could not) is aborted; a transfer executed while the receiver's group has no majority is
 *       aborted; every other request commits, fails for an insufficient balance or reads a value;
 *   <li>some interleaving of the clients' requests, each client in file order, every request after
 *       the barriers before the segment it runs in, gives exactly these outcomes and read values
 *       ({@link Interleavings});
 *   <li>PrintDB prints every node once, in order: a failed node {@code (not running)}; every live
 *       node of a group that ends the set with a majority exactly the items that committed
 *       transfers touched in that group, with the balances they give (so a committed transfer
 *       shows on both sides and an aborted one leaves no trace); any other running node a subset
 *       of those items (it may lag);
 *   <li>then only NEW-VIEW lines, and after the last set at most a Performance line.
 * </ul>
 *
 * <p>Usage: {@code Project3Check [--each] FILE.csv OUTPUT [GxR]}: exit 0 if accepted, 1 with the
 * reason on stderr, 2 if it cannot decide; {@code --each} also prints every set's verdict on
 * stdout. Without GxR, a {@code --layout GxR} in {@code FILE.opts} (the case's master options) is
 * used, as the master was run with it.
 */
public final class Project3Check {
    private static final Pattern SET = Pattern.compile("^--- set (\\d+) \\(live (.*)\\)$");
    private static final Pattern DB = Pattern.compile("^(n\\d+) : (.*)$");
    private static final Pattern LAYOUT = Pattern.compile("--layout\\s+(\\d+)[xX](\\d+)");

    private Project3Check() {}

    public static void main(String[] args) throws Exception {
        boolean each = args.length > 0 && args[0].equals("--each");
        if (each) {
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
        }
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: Project3Check [--each] FILE.csv OUTPUT [GxR]");
            System.exit(2);
        }
        String csv = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
        if (!CsvScript.project3(CsvScript.parse(csv, (line, msg) -> { }))) {
            System.err.println(args[0] + " is not a Project 3 file (the master runs it as Project 1: see CsvCheck)");
            System.exit(2);
        }
        int[] layout = args.length == 3 ? layout("--layout " + args[2]) : null;
        Path opts = Path.of(args[0].replaceFirst("\\.csv$", ".opts"));
        if (layout == null && Files.exists(opts)) {
            layout = layout(Files.readString(opts));
        }
        String why;
        try {
            String output = Files.readString(Path.of(args[1]), StandardCharsets.UTF_8);
            if (each) {
                eachSet(csv, output, layout).forEach(System.out::println);
            }
            why = check(csv, output, layout);
        } catch (Interleavings.TooLarge e) {
            System.err.println("cannot decide: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (why != null) {
            System.err.println(why);
            System.exit(1);
        }
    }

    /** {groups, replicas} of a "--layout GxR" in {@code opts}, or null. */
    static int[] layout(String opts) {
        Matcher m = LAYOUT.matcher(opts);
        return m.find() ? new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))} : null;
    }

    /**
     * Null if {@code output} is one a correct system may print for {@code csv} run with
     * {@code layout} ({groups, replicas}, or null for the default choice per set), else why not.
     */
    public static String check(String csv, String output, int[] layout) {
        List<CsvScript.Set> sets = CsvScript.parse(csv, (line, msg) -> { });
        List<String> lines = new ArrayList<>(List.of(output.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        int at = 0;
        for (CsvScript.Set s : sets) {
            P3Model model = new P3Model(s, layout);
            String[] why = {null};
            at = set(s, model, lines, at, why);
            if (why[0] != null) {
                return "set " + s.number() + ": " + why[0];
            }
        }
        if (at < lines.size() && lines.get(at).startsWith("Performance: ")) {
            at++;
        }
        if (at < lines.size()) {
            return "output line " + (at + 1) + ": unexpected after the last set: " + lines.get(at);
        }
        return null;
    }

    /** One line per set of {@code csv}: {@code set N: ok} or why not (after a wrong set, from its successor's header on). */
    public static List<String> eachSet(String csv, String output, int[] layout) {
        List<String> verdicts = new ArrayList<>();
        List<String> lines = List.of(output.split("\n", -1));
        int at = 0;
        for (CsvScript.Set s : CsvScript.parse(csv, (line, msg) -> { })) {
            String header = "--- set " + s.number() + " (";
            while (at < lines.size() && !lines.get(at).startsWith(header)) {
                at++;
            }
            String[] why = {null};
            int next = set(s, new P3Model(s, layout), lines, at, why);
            verdicts.add("set " + s.number() + ": " + (why[0] == null ? "ok" : why[0]));
            at = why[0] == null ? next : at + 1;
        }
        return verdicts;
    }

    /** Checks set {@code s} from output line {@code at}; returns the line after it, or sets {@code why}. */
    private static int set(CsvScript.Set s, P3Model model, List<String> lines, int at, String[] why) {
        String header = "--- set " + s.number() + " (live " + String.join(", ", s.live()) + ")";
        if (at >= lines.size() || !lines.get(at).equals(header)) {
            why[0] = "expected '" + header + "' at output line " + (at + 1) + ", got "
                    + (at < lines.size() ? "'" + lines.get(at) + "'" : "the end of the output");
            return at;
        }
        at++;
        List<P3Model.Op> ops = model.ops();
        if (at + ops.size() > lines.size()) {
            why[0] = "the output ends before the set's " + ops.size() + " results";
            return at;
        }
        String bad = model.outcomes(lines.subList(at, at + ops.size()), at + 1);
        if (bad == null) {
            bad = Interleavings.check(model);
        }
        if (bad != null) {
            why[0] = bad;
            return at;
        }
        at += ops.size();
        Map<String, String> dbs = new TreeMap<>(synod.core.NodeIds.ORDER);
        List<String> nodes = model.nodes();
        for (String node : nodes) {
            Matcher m = at < lines.size() ? DB.matcher(lines.get(at)) : null;
            if (m == null || !m.matches() || !m.group(1).equals(node)) {
                why[0] = "expected PrintDB's line for " + node + " at output line " + (at + 1) + ", got "
                        + (at < lines.size() ? "'" + lines.get(at) + "'" : "the end of the output");
                return at;
            }
            dbs.put(node, m.group(2));
            at++;
        }
        bad = model.databases(dbs);
        if (bad != null) {
            why[0] = bad;
            return at;
        }
        while (at < lines.size() && lines.get(at).startsWith("NEW-VIEW ")) {
            at++;
        }
        return at;
    }
}
