package synod.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import synod.core.NodeIds;
import synod.master.CsvScript;

/**
 * What one set of a CSE535 Project 3 file allows, modelled from the file alone: the layout (3
 * groups of 3; 5 of 5 when the set names a node above n9; or forced), items 1..9000 in equal
 * contiguous ranges, 10 each, and the set cut into segments by its barriers (F(n) fails n, R(n)
 * makes n live and running, LF fails one node of group 1). A group has a majority in a segment if
 * a majority of its nodes is live (in Live Nodes or recovered) and not failed.
 *
 * <p>A client (the sender S) runs its requests in file order, each once the previous is decided, so
 * a request runs in the first segment, from its own and from its predecessor's, in which its
 * sender's group has a majority; it never runs if there is none (it is then aborted when the set
 * ends, as is everything its client queued behind it).
 */
final class P3Model {
    static final int ITEMS = 9000;
    static final long START = 10;
    static final int NEVER = Integer.MAX_VALUE;

    enum Outcome { COMMITTED, INSUFFICIENT, ABORTED, READ }

    /** A transfer or read of the set, the segment it runs in, and (once read) what the output says. */
    static final class Op {
        final CsvScript.Item item;
        final int listed;
        int runs = NEVER;
        Outcome outcome;
        long value;

        Op(CsvScript.Item item, int listed) {
            this.item = item;
            this.listed = listed;
        }

        boolean read() {
            return item.kind() == CsvScript.Kind.READ;
        }

        String client() {
            return item.from();
        }
    }

    private final int groups;
    private final int replicas;
    private final List<Op> ops = new ArrayList<>();
    /** Per segment, per group (1-based): whether it has a majority. */
    private final List<boolean[]> majority = new ArrayList<>();
    private final Set<String> live = new LinkedHashSet<>();
    private final Set<String> down = new HashSet<>();
    private int leaderFailures;

    P3Model(CsvScript.Set s, int[] layout) {
        boolean big = s.live().stream().anyMatch(n -> number(n) > 9)
                || s.items().stream().anyMatch(i -> i.node() != null && number(i.node()) > 9);
        groups = layout != null ? layout[0] : big ? 5 : 3;
        replicas = layout != null ? layout[1] : big ? 5 : 3;
        for (String n : s.live()) {
            if (number(n) >= 1 && number(n) <= groups * replicas) {
                live.add(n);
            }
        }
        majority.add(majorities());
        for (CsvScript.Item i : s.items()) {
            switch (i.kind()) {
                case TRANSFER, READ -> ops.add(new Op(i, majority.size() - 1));
                case FAIL -> down.add(i.node());
                case RECOVER -> {
                    down.remove(i.node());
                    live.add(i.node());
                }
                case LEADER_FAILS -> leaderFailures++;
                default -> throw new IllegalStateException(i.toString());
            }
            if (i.barrier()) {
                majority.add(majorities());
            }
        }
        Map<String, Integer> lastRun = new HashMap<>();
        for (Op op : ops) {
            int from = Math.max(op.listed, lastRun.getOrDefault(op.client(), 0));
            int g = Math.max(1, groupOf(op.client())); // an item no range holds is asked of group 1
            op.runs = NEVER;
            for (int j = from; from != NEVER && j < majority.size(); j++) {
                if (majority.get(j)[g]) {
                    op.runs = j;
                    break;
                }
            }
            lastRun.put(op.client(), op.runs);
        }
    }

    private boolean[] majorities() {
        boolean[] m = new boolean[groups + 1];
        for (int g = 1; g <= groups; g++) {
            int up = 0;
            for (int k = (g - 1) * replicas + 1; k <= g * replicas; k++) {
                up += live.contains("n" + k) && !down.contains("n" + k) ? 1 : 0;
            }
            m[g] = up - (g == 1 ? leaderFailures : 0) >= replicas / 2 + 1;
        }
        return m;
    }

    static int number(String node) {
        try {
            return Integer.parseInt(node.substring(1));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** The group of item {@code item}: G contiguous ranges of 1..9000, the first ones one longer if G does not divide it. */
    int groupOf(String item) {
        if (!item.matches("\\d{1,5}")) {
            return 0;
        }
        int i = Integer.parseInt(item);
        if (i < 1 || i > ITEMS) {
            return 0;
        }
        int base = ITEMS / groups;
        int extra = ITEMS % groups;
        int last = 0;
        for (int g = 1; g <= groups; g++) {
            last += base + (g <= extra ? 1 : 0);
            if (i <= last) {
                return g;
            }
        }
        return 0;
    }

    List<Op> ops() {
        return ops;
    }

    int segments() {
        return majority.size();
    }

    List<String> nodes() {
        List<String> n = new ArrayList<>();
        for (int k = 1; k <= groups * replicas; k++) {
            n.add("n" + k);
        }
        return n;
    }

    /** Whether {@code op} must be aborted: it never runs, names an item that does not exist, or meets a group without a majority. */
    boolean mustAbort(Op op) {
        if (op.runs == NEVER || groupOf(op.client()) == 0) {
            return true;
        }
        return !op.read() && (groupOf(op.item.to()) == 0 || !majority.get(op.runs)[groupOf(op.item.to())]);
    }

    /** Reads each op's outcome off its result line (numbered from {@code firstLine}); null, or why the lines are wrong. */
    String outcomes(List<String> lines, int firstLine) {
        for (int k = 0; k < ops.size(); k++) {
            Op op = ops.get(k);
            String line = lines.get(k);
            String head = op.item.text() + " ";
            String where = "output line " + (firstLine + k) + " ('" + line + "')";
            if (!line.startsWith(head)) {
                return where + " is not the result of " + op.item.text() + " (file line " + op.item.line() + ")";
            }
            String rest = line.substring(head.length());
            if (rest.startsWith("aborted: ") && rest.length() > "aborted: ".length()) {
                op.outcome = Outcome.ABORTED;
            } else if (!op.read() && rest.equals("committed")) {
                op.outcome = Outcome.COMMITTED;
            } else if (!op.read() && rest.equals("failed: insufficient balance")) {
                op.outcome = Outcome.INSUFFICIENT;
            } else if (op.read() && rest.matches("= \\d{1,18}")) {
                op.outcome = Outcome.READ;
                op.value = Long.parseLong(rest.substring(2));
            } else {
                return where + ": not a result a " + (op.read() ? "read" : "transfer") + " can have";
            }
            boolean abort = mustAbort(op);
            if (abort && op.outcome != Outcome.ABORTED) {
                return where + ": must be aborted (" + why(op) + ")";
            }
            if (!abort && op.outcome == Outcome.ABORTED) {
                return where + ": must not be aborted: its groups have a majority when it runs (segment "
                        + (op.runs + 1) + " of the set)";
            }
        }
        return null;
    }

    private String why(Op op) {
        if (groupOf(op.client()) == 0 || (!op.read() && groupOf(op.item.to()) == 0)) {
            return "an item no group holds";
        }
        if (op.runs == NEVER) {
            return "group " + groupOf(op.client()) + " has no majority from then on, or its client waits behind a request that never runs";
        }
        return "the receiver's group " + groupOf(op.item.to()) + " has no majority when it runs";
    }

    /** The balances after every committed transfer, and the items they touched, by group. */
    private Map<String, Long> finalBalances() {
        Map<String, Long> b = new TreeMap<>(NodeIds.ORDER);
        for (Op op : ops) {
            if (op.outcome == Outcome.COMMITTED) {
                b.merge(op.client(), -op.item.amount(), Long::sum);
                b.merge(op.item.to(), op.item.amount(), Long::sum);
            }
        }
        b.replaceAll((item, delta) -> START + delta);
        return b;
    }

    /** Null if the PrintDB lines {@code dbs} (node to body) are right at the end of the set, else why not. */
    String databases(Map<String, String> dbs) {
        Map<String, Long> balances = finalBalances();
        boolean[] endMajority = majority.get(majority.size() - 1);
        int unexplainedDown = 0;
        for (var e : dbs.entrySet()) {
            String node = e.getKey();
            String body = e.getValue();
            int g = (number(node) - 1) / replicas + 1;
            StringBuilder want = new StringBuilder();
            balances.forEach((item, v) -> {
                if (groupOf(item) == g) {
                    want.append(want.length() == 0 ? "" : ", ").append(item).append('=').append(v);
                }
            });
            String expected = want.length() == 0 ? "(none)" : want.toString();
            if (down.contains(node)) {
                if (!body.equals("(not running)")) {
                    return node + " failed (F) and was not recovered, so it must print (not running), not: " + body;
                }
                continue;
            }
            if (body.equals("(not running)")) {
                if (g == 1 && ++unexplainedDown <= leaderFailures) {
                    continue; // LF failed some node of group 1: this one, maybe
                }
                return node + " prints (not running) but no F failed it";
            }
            Map<String, Long> printed = parse(body);
            if (printed == null) {
                return node + ": not a database line: " + body;
            }
            boolean authoritative = live.contains(node) && endMajority[g];
            if (authoritative && !body.equals(expected)) {
                return node + " (live, group " + g + " has a majority) prints '" + body + "' but the committed transfers give '"
                        + expected + "'";
            }
            for (String item : printed.keySet()) {
                if (groupOf(item) != g || !balances.containsKey(item)) {
                    return node + " lists " + item + ", which no committed transfer of group " + g + " touched: " + body;
                }
            }
        }
        return null;
    }

    /** "(none)" is empty; "1=9, 2=11" is a map, items in reading order, once each; anything else null. */
    static Map<String, Long> parse(String body) {
        Map<String, Long> m = new TreeMap<>(NodeIds.ORDER);
        if (body.equals("(none)")) {
            return m;
        }
        String previous = null;
        for (String part : body.split(", ", -1)) {
            if (!part.matches("\\d{1,5}=\\d{1,18}")) {
                return null;
            }
            String item = part.substring(0, part.indexOf('='));
            if (previous != null && NodeIds.ORDER.compare(previous, item) >= 0) {
                return null;
            }
            previous = item;
            m.put(item, Long.parseLong(part.substring(part.indexOf('=') + 1)));
        }
        return m;
    }
}
