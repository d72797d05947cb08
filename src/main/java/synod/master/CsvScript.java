package synod.master;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import synod.runtime.ClusterConfig;
import synod.runtime.Layout;

/**
 * A CSE535 test file: sets of transactions with the nodes live during each set. Columns are
 * {@code Set Number,Transactions,Live Nodes}; a continuation row has an empty set number; a
 * transaction is {@code (S, R, AMT)} and {@code LF} fails the current leader. Project 3 files add
 * balance reads {@code (S)} (also written {@code -S}, a spreadsheet artefact), and {@code F(nK)} and
 * {@code R(nK)}, which fail and recover node nK. Tolerates {@code [n1,n2]} without spaces,
 * {@code (A , J, 1)}, {@code (163,  164, 1)}, missing trailing commas and CRLF.
 */
public final class CsvScript {
    /** What a row of a set does. */
    public enum Kind { TRANSFER, READ, LEADER_FAILS, FAIL, RECOVER }

    /**
     * One entry of a set: a transfer {@code (from, to, amount)}, a read {@code (from)}, LF, or
     * {@code F(node)} / {@code R(node)}.
     */
    public record Item(int line, Kind kind, String from, String to, long amount, String node) {
        public static Item transfer(int line, String from, String to, long amount) {
            return new Item(line, Kind.TRANSFER, from, to, amount, null);
        }

        public static Item read(int line, String item) {
            return new Item(line, Kind.READ, item, null, 0, null);
        }

        public boolean leaderFails() {
            return kind == Kind.LEADER_FAILS;
        }

        /** LF, F(n) and R(n): everything before completes first, then the node fails or recovers. */
        public boolean barrier() {
            return kind == Kind.LEADER_FAILS || kind == Kind.FAIL || kind == Kind.RECOVER;
        }

        /** As results print it: {@code (S, R, AMT)}, {@code (S)}; or {@code LF}, {@code F(n3)}, {@code R(n3)}. */
        public String text() {
            return switch (kind) {
                case TRANSFER -> "(" + from + ", " + to + ", " + amount + ")";
                case READ -> "(" + from + ")";
                case LEADER_FAILS -> "LF";
                case FAIL -> "F(" + node + ")";
                case RECOVER -> "R(" + node + ")";
            };
        }
    }

    /** A set: its number, its Live Nodes, its rows; {@code line} is where it begins (0: made up, not read). */
    public record Set(int number, List<String> live, List<Item> items, int line) {
        public Set(int number, List<String> live, List<Item> items) {
            this(number, live, items, 0);
        }
    }

    /** The columns every CSE535 test file names on its first line. */
    static final String HEADER = "Set Number,Transactions,Live Nodes";

    private static final Pattern ROW = Pattern.compile("^\\s*(\\d*)\\s*,\\s*(\"[^\"]*\"|[^,]*)\\s*(?:,\\s*(.*))?$");
    private static final Pattern TXN = Pattern.compile("^\\(\\s*([A-Za-z0-9_]+)\\s*,\\s*([A-Za-z0-9_]+)\\s*,\\s*(\\d+)\\s*\\)$");
    private static final Pattern READ = Pattern.compile("^(?:\\(\\s*([A-Za-z0-9_]+)\\s*\\)|-\\s*(\\d+))$");
    private static final Pattern FAIL_RECOVER = Pattern.compile("^([FfRr])\\s*\\(\\s*[nN]?(\\d+)\\s*\\)$");
    private static final Pattern NODE = Pattern.compile("[nN]?(\\d+)");

    private CsvScript() {}

    /**
     * The sets of a CSE535 file to run, or null if it cannot run at all: its first line is not the
     * header, it has no set, or a set's Live Nodes are empty or name a node outside the layout it
     * runs on ({@code forced}, else n1..n5 for a Project 1 file and n1..n25 for a Project 3 one).
     * Every such error, and every bad row (skipped), is reported with its line.
     */
    public static List<Set> load(String text, Layout forced, BankRunner.Diagnostics diag) {
        boolean[] fatal = {false};
        BankRunner.Diagnostics fatalToo = (line, msg) -> {
            fatal[0] = true;
            diag.error(line, msg + "; nothing is run");
        };
        String[] lines = text.split("\r?\n", -1);
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first == lines.length) {
            fatalToo.error(1, "an empty file: no header (" + HEADER + ") and no set");
            return null;
        }
        // a spreadsheet may begin the file with a byte order mark, and end the header with empty columns
        String header = lines[first].replace("\uFEFF", "").strip().replaceAll("\\s*,\\s*", ",").replaceAll(",+$", "");
        if (!header.equalsIgnoreCase(HEADER)) {
            fatalToo.error(first + 1, "not a CSE535 header: '" + lines[first].strip() + "' (the first line must be "
                    + HEADER + ")");
        }
        lines[first] = ""; // the header, right or wrong, is not a row
        List<Set> sets = parse(String.join("\n", lines), diag);
        if (sets.isEmpty()) {
            fatalToo.error(first + 1, "no set: the file has no row after its header");
        }
        boolean p3 = project3(sets);
        int nodes = forced != null ? forced.nodes().size() : p3 ? 25 : 5;
        String layout = forced != null ? "the " + forced + " layout" : p3 ? "a Project 3 file" : "a Project 1 file";
        for (Set set : sets) {
            if (set.live().isEmpty()) {
                fatalToo.error(set.line(), "set " + set.number() + ": no live node; Live Nodes names the nodes that run"
                        + " the set, for example [n1, n2, n3]");
            }
            for (String n : set.live()) {
                int k = ClusterConfig.number(n);
                if (k < 1 || k > nodes) {
                    fatalToo.error(set.line(), "set " + set.number() + ": " + n + " is not a node of " + layout
                            + " (n1..n" + nodes + ")");
                }
            }
        }
        return fatal[0] ? null : sets;
    }

    /** The sets of {@code text}; a bad row is reported with its line number and skipped. */
    public static List<Set> parse(String text, BankRunner.Diagnostics diag) {
        List<Set> sets = new ArrayList<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            int line = i + 1;
            String raw = lines[i].strip();
            if (raw.isEmpty() || (i == 0 && raw.toLowerCase().startsWith("set"))) {
                continue;
            }
            Matcher m = ROW.matcher(raw);
            if (!m.matches()) {
                diag.error(line, "not a CSV row: " + raw);
                continue;
            }
            if (!m.group(1).isEmpty()) {
                int number = number(m.group(1));
                if (number < 1) {
                    diag.error(line, "set number " + m.group(1) + " is not between 1 and " + Integer.MAX_VALUE
                            + "; the set is skipped");
                    sets.add(null); // its continuation rows are skipped with it
                    continue;
                }
                sets.add(new Set(number, live(line, m.group(3), diag), new ArrayList<>(), line));
            } else if (sets.isEmpty()) {
                diag.error(line, "a continuation row before any set: " + raw);
                continue;
            }
            Set current = sets.get(sets.size() - 1);
            Item item = current == null ? null : item(line, unquote(m.group(2)), diag);
            if (item != null) {
                current.items().add(item);
            }
        }
        sets.removeIf(java.util.Objects::isNull);
        return sets;
    }

    /** A decimal number of at most ten digits as an int, or -1 if it is none (too large, say). */
    private static int number(String digits) {
        try {
            return digits.length() > 10 ? -1 : Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Item item(int line, String t, BankRunner.Diagnostics diag) {
        if (t.isEmpty()) {
            return null;
        }
        if (t.equalsIgnoreCase("LF")) {
            return new Item(line, Kind.LEADER_FAILS, null, null, 0, null);
        }
        Matcher m = TXN.matcher(t);
        if (m.matches()) {
            long amount;
            try {
                amount = Long.parseLong(m.group(3));
            } catch (NumberFormatException e) {
                diag.error(line, "bad amount " + m.group(3) + " in " + t + ": at most " + Long.MAX_VALUE);
                return null;
            }
            return Item.transfer(line, m.group(1), m.group(2), amount);
        }
        if ((m = READ.matcher(t)).matches()) {
            return Item.read(line, m.group(1) != null ? m.group(1) : m.group(2));
        }
        if ((m = FAIL_RECOVER.matcher(t)).matches()) {
            int node = number(m.group(2));
            if (node < 1 || node > 9999) {
                diag.error(line, "no node n" + m.group(2) + " in " + t);
                return null;
            }
            Kind k = m.group(1).equalsIgnoreCase("F") ? Kind.FAIL : Kind.RECOVER;
            return new Item(line, k, null, null, 0, "n" + node);
        }
        diag.error(line, "not a transaction, a read, LF, F(nK) or R(nK): " + t);
        return null;
    }

    /**
     * Whether {@code sets} are a Project 3 file (reads, F/R rows, numeric items or nodes beyond n5)
     * rather than a Project 1 one (clients A..J on n1..n5).
     */
    public static boolean project3(List<Set> sets) {
        boolean beyondFive = false;
        boolean letters = false;
        for (Set s : sets) {
            for (String n : s.live()) {
                beyondFive |= ClusterConfig.number(n) > 5;
            }
            for (Item i : s.items()) {
                if (i.kind() == Kind.READ || i.kind() == Kind.FAIL || i.kind() == Kind.RECOVER
                        || (i.kind() == Kind.TRANSFER && (i.from().matches("\\d+") || i.to().matches("\\d+")))) {
                    return true;
                }
                letters |= i.kind() == Kind.TRANSFER;
            }
        }
        // clients A..J are a Project 1 file's, whatever its Live Nodes say (a node beyond n5 is its error)
        return beyondFive && !letters;
    }

    private static List<String> live(int line, String cell, BankRunner.Diagnostics diag) {
        List<String> nodes = new ArrayList<>();
        if (cell == null) {
            diag.error(line, "a set without its Live Nodes");
            return nodes;
        }
        Matcher m = NODE.matcher(unquote(cell).replace("[", "").replace("]", ""));
        while (m.find()) {
            nodes.add("n" + m.group(1).replaceFirst("^0+(?=\\d)", "")); // load() checks it is a node of the layout
        }
        return nodes;
    }

    private static String unquote(String s) {
        String t = s == null ? "" : s.strip();
        if (t.endsWith(",")) {
            t = t.substring(0, t.length() - 1).strip();
        }
        return t.startsWith("\"") && t.endsWith("\"") && t.length() >= 2 ? t.substring(1, t.length() - 1).strip() : t;
    }
}
