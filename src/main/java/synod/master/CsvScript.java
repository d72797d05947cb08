package synod.master;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    public record Set(int number, List<String> live, List<Item> items) {}

    private static final Pattern ROW = Pattern.compile("^\\s*(\\d*)\\s*,\\s*(\"[^\"]*\"|[^,]*)\\s*(?:,\\s*(.*))?$");
    private static final Pattern TXN = Pattern.compile("^\\(\\s*([A-Za-z0-9_]+)\\s*,\\s*([A-Za-z0-9_]+)\\s*,\\s*(\\d+)\\s*\\)$");
    private static final Pattern READ = Pattern.compile("^(?:\\(\\s*([A-Za-z0-9_]+)\\s*\\)|-\\s*(\\d+))$");
    private static final Pattern FAIL_RECOVER = Pattern.compile("^([FfRr])\\s*\\(\\s*[nN]?(\\d+)\\s*\\)$");
    private static final Pattern NODE = Pattern.compile("[nN]?(\\d+)");

    private CsvScript() {}

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
                sets.add(new Set(Integer.parseInt(m.group(1)), live(line, m.group(3), diag), new ArrayList<>()));
            } else if (sets.isEmpty()) {
                diag.error(line, "a continuation row before any set: " + raw);
                continue;
            }
            Item item = item(line, unquote(m.group(2)), diag);
            if (item != null) {
                sets.get(sets.size() - 1).items().add(item);
            }
        }
        return sets;
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
            return Item.transfer(line, m.group(1), m.group(2), Long.parseLong(m.group(3)));
        }
        if ((m = READ.matcher(t)).matches()) {
            return Item.read(line, m.group(1) != null ? m.group(1) : m.group(2));
        }
        if ((m = FAIL_RECOVER.matcher(t)).matches() && Integer.parseInt(m.group(2)) > 0) {
            Kind k = m.group(1).equalsIgnoreCase("F") ? Kind.FAIL : Kind.RECOVER;
            return new Item(line, k, null, null, 0, "n" + Integer.parseInt(m.group(2)));
        }
        diag.error(line, "not a transaction, a read, LF, F(nK) or R(nK): " + t);
        return null;
    }

    /**
     * Whether {@code sets} are a Project 3 file (reads, F/R rows, numeric items or nodes beyond n5)
     * rather than a Project 1 one (clients A..J on n1..n5).
     */
    public static boolean project3(List<Set> sets) {
        for (Set s : sets) {
            for (String n : s.live()) {
                if (Integer.parseInt(n.substring(1)) > 5) {
                    return true;
                }
            }
            for (Item i : s.items()) {
                if (i.kind() == Kind.READ || i.kind() == Kind.FAIL || i.kind() == Kind.RECOVER
                        || (i.kind() == Kind.TRANSFER && (i.from().matches("\\d+") || i.to().matches("\\d+")))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> live(int line, String cell, BankRunner.Diagnostics diag) {
        List<String> nodes = new ArrayList<>();
        if (cell == null) {
            diag.error(line, "a set without its Live Nodes");
            return nodes;
        }
        Matcher m = NODE.matcher(unquote(cell).replace("[", "").replace("]", ""));
        while (m.find()) {
            nodes.add("n" + Integer.parseInt(m.group(1)));
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
