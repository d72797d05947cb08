package synod.master;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CSE535 test file: sets of transactions with the nodes live during each set. Columns are
 * {@code Set Number,Transactions,Live Nodes}; a continuation row has an empty set number; a
 * transaction is {@code (S, R, AMT)} and {@code LF} fails the current leader. Tolerates
 * {@code [n1,n2]} without spaces, {@code (A , J, 1)}, missing trailing commas and CRLF.
 */
public final class CsvScript {
    /** One entry of a set: a transfer, or (when {@code from} is null) LF. */
    public record Item(int line, String from, String to, long amount) {
        public boolean leaderFails() {
            return from == null;
        }

        public String text() {
            return "(" + from + ", " + to + ", " + amount + ")";
        }
    }

    public record Set(int number, List<String> live, List<Item> items) {}

    private static final Pattern ROW = Pattern.compile("^\\s*(\\d*)\\s*,\\s*(\"[^\"]*\"|[^,]*)\\s*(?:,\\s*(.*))?$");
    private static final Pattern TXN = Pattern.compile("^\\(\\s*([A-Za-z0-9_]+)\\s*,\\s*([A-Za-z0-9_]+)\\s*,\\s*(\\d+)\\s*\\)$");
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
            return new Item(line, null, null, 0);
        }
        Matcher m = TXN.matcher(t);
        if (!m.matches()) {
            diag.error(line, "not a transaction or LF: " + t);
            return null;
        }
        return new Item(line, m.group(1), m.group(2), Long.parseLong(m.group(3)));
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
