package synod.check;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import synod.master.CsvScript;

/**
 * Grades a run of a CSE535 Project 1 file, whose exact text legitimately varies (elections,
 * which transactions wait for a quorum). It accepts an output only if: every database printed sums
 * to the money the clients started with (or is empty: a node restarted while cut off has applied
 * nothing yet); after each set every live, running node prints the same database; every
 * transaction of the file ends with exactly one final result (a pending one later completes once);
 * and the last databases of the nodes live at the end equal the starting balances moved by exactly
 * the committed transfers, once each, so nothing was lost or executed twice.
 *
 * <p>Usage: {@code CsvCheck FILE.csv OUTPUT}: exit 0 if accepted, 1 with the reason on stderr.
 */
public final class CsvCheck {
    private static final Pattern SET = Pattern.compile("^--- set (\\d+) \\(live (.*)\\)$");
    private static final String ALL_LIVE = "--- after the last set, every node live";
    private static final Pattern DB = Pattern.compile("^(n\\d+) : (.*)$");
    private static final Pattern RESULT = Pattern.compile("^(\\([^)]*\\)) (committed|failed: insufficient balance|aborted: .*|pending)(   \\(pending since an earlier set\\))?$");
    private static final long START = 10;

    private CsvCheck() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: CsvCheck FILE.csv OUTPUT");
            System.exit(2);
        }
        String why = check(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8),
                Files.readString(Path.of(args[1]), StandardCharsets.UTF_8));
        if (why != null) {
            System.err.println(why);
            System.exit(1);
        }
    }

    /** Null if {@code output} is one a correct system may print for {@code csv}, else why not. */
    public static String check(String csv, String output) {
        List<CsvScript.Set> sets = CsvScript.parse(csv, (line, msg) -> { });
        Map<String, Long> flows = new TreeMap<>();
        Map<String, Integer> finals = new HashMap<>();
        List<String> live = List.of();
        Map<String, String> dbs = new TreeMap<>();
        String lastSet = null;
        int n = 0;
        for (String line : output.split("\n")) {
            n++;
            Matcher m;
            if ((m = SET.matcher(line)).matches()) {
                String bad = agree(lastSet, live, dbs);
                if (bad != null) {
                    return bad;
                }
                lastSet = m.group(1);
                live = List.of(m.group(2).split(", "));
                dbs.clear();
            } else if (line.equals(ALL_LIVE)) {
                String bad = agree(lastSet, live, dbs);
                if (bad != null) {
                    return bad;
                }
                lastSet = "after the last";
                live = List.of("n1", "n2", "n3", "n4", "n5");
                dbs.clear();
            } else if ((m = DB.matcher(line)).matches()) {
                if (!m.group(2).equals("(not running)")) {
                    long total = parse(m.group(2)).values().stream().mapToLong(Long::longValue).sum();
                    if (!m.group(2).isEmpty() && total != START * 10) {
                        return "output line " + n + ": money not conserved (" + total + "): " + line;
                    }
                    dbs.put(m.group(1), m.group(2));
                }
            } else if ((m = RESULT.matcher(line)).matches() && !m.group(2).equals("pending")) {
                finals.merge(m.group(1), 1, Integer::sum);
                if (m.group(2).equals("committed")) {
                    String[] t = m.group(1).replaceAll("[()]", "").split(", ");
                    long amt = Long.parseLong(t[2]);
                    flows.merge(t[0], -amt, Long::sum);
                    flows.merge(t[1], amt, Long::sum);
                }
            }
        }
        String bad = agree(lastSet, live, dbs);
        if (bad != null) {
            return bad;
        }
        Map<String, String> liveAtEnd = new TreeMap<>(dbs);
        liveAtEnd.keySet().retainAll(live); // a node cut off in the last set may lag: not a verdict
        return finalsAndBalances(sets, finals, flows, liveAtEnd);
    }

    private static String agree(String set, List<String> live, Map<String, String> dbs) {
        String seen = null;
        for (String node : live) {
            String db = dbs.get(node);
            if (db != null && seen != null && !seen.equals(db)) {
                return "set " + set + ": live nodes print different databases: " + dbs;
            }
            seen = db != null ? db : seen;
        }
        return null;
    }

    private static String finalsAndBalances(List<CsvScript.Set> sets, Map<String, Integer> finals, Map<String, Long> flows,
                                            Map<String, String> lastDbs) {
        Map<String, Integer> expected = new HashMap<>();
        for (CsvScript.Set s : sets) {
            for (CsvScript.Item i : s.items()) {
                if (!i.leaderFails()) {
                    expected.merge(i.text(), 1, Integer::sum);
                }
            }
        }
        if (!expected.equals(finals)) {
            return "final results per transaction " + finals + ", expected each of the file's once: " + expected;
        }
        for (var e : lastDbs.entrySet()) {
            Map<String, Long> balances = parse(e.getValue());
            for (var b : balances.entrySet()) {
                long want = START + flows.getOrDefault(b.getKey(), 0L);
                if (b.getValue() != want) {
                    return e.getKey() + " ends with " + b.getKey() + "=" + b.getValue() + " but the committed transfers give "
                            + want + ": a transfer was lost or executed twice";
                }
            }
        }
        return null;
    }

    /** Account balances of a printed database; empty for a node that has applied nothing yet. */
    private static Map<String, Long> parse(String db) {
        Map<String, Long> m = new TreeMap<>();
        if (db.isEmpty()) {
            return m;
        }
        for (String part : db.split(", ")) {
            int eq = part.indexOf('=');
            m.put(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)));
        }
        return m;
    }
}
