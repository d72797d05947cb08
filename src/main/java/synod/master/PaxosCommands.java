package synod.master;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import synod.master.ScriptParser.ScriptError;

/** Parses the replicated-service commands (SPEC section 2); node ids become {@code nK}. */
final class PaxosCommands {
    /** The SPEC's crash points (seed 000's demos). */
    static final Set<String> CRASH_POINTS = Set.of("after-send-prepare", "after-send-accept", "after-receive-prepare",
            "after-receive-accept", "after-persist-promise", "after-persist-accept", "before-send-commit",
            // two-phase commit over the groups (SPEC section 4)
            "2pc-after-send-prepare", "2pc-after-send-prepared", "2pc-before-send-commit", "2pc-before-send-ack");

    private PaxosCommands() {}

    static Command parse(int line, String name, String word, String[] a, String body) throws ScriptError {
        switch (name) {
            case "startcluster":
                ScriptParser.checkArity(line, word, a, 0, 2);
                return new Command.StartCluster(line, a.length > 0 ? count(line, a[0], 25) : 1,
                        a.length > 1 ? count(line, a[1], 25) : 5);
            case "lock":
                ScriptParser.checkArity(line, word, a, 2, 2);
                return new Command.Lock(line, ScriptParser.checkId(line, a[0]), ScriptParser.checkId(line, a[1]));
            case "unlock":
                ScriptParser.checkArity(line, word, a, 2, 2);
                return new Command.Unlock(line, ScriptParser.checkId(line, a[0]), ScriptParser.checkId(line, a[1]));
            case "fail":
                ScriptParser.checkArity(line, word, a, 1, 1);
                return new Command.Fail(line, node(line, a[0]));
            case "recover":
                ScriptParser.checkArity(line, word, a, 1, 1);
                return new Command.Recover(line, node(line, a[0]));
            case "failleader":
                ScriptParser.checkArity(line, word, a, 0, 1);
                return new Command.FailLeader(line, a.length > 0 ? group(line, a[0]) : 1);
            case "cutleader":
                // An extension of the SPEC, FailLeader's twin: the leader stays up, cut off, still
                // believing it leads, so a client's timer expires on it (see test-cases/cse535/).
                ScriptParser.checkArity(line, word, a, 0, 1);
                return new Command.CutLeader(line, a.length > 0 ? group(line, a[0]) : 1);
            case "live":
                ScriptParser.checkArity(line, word, a, 1, 99);
                List<String> nodes = new ArrayList<>();
                for (String n : a) {
                    nodes.add(node(line, n));
                }
                return new Command.Live(line, List.copyOf(nodes));
            case "crashat":
                ScriptParser.checkArity(line, word, a, 2, 2);
                if (!CRASH_POINTS.contains(a[1])) {
                    throw new ScriptError(line, "unknown crash point '" + a[1] + "' (known: " + new java.util.TreeSet<>(CRASH_POINTS) + ")");
                }
                // Extensions of the SPEC: "leader" names whichever node leads group 1 when the line runs;
                // "any" arms every node, and the first to reach the point is the only one to exit.
                String who = a[0].toLowerCase(java.util.Locale.ROOT);
                return new Command.CrashAt(line, who.equals("leader") || who.equals("any") ? who : node(line, a[0]), a[1]);
            case "droprate":
                ScriptParser.checkArity(line, word, a, 1, 1);
                return new Command.DropRate(line, rate(line, a[0]));
            case "delay":
                ScriptParser.checkArity(line, word, a, 1, 2);
                return new Command.Delay(line, millis(line, a[0]), a.length > 1 ? millis(line, a[1]) : 0);
            case "sleep":
                ScriptParser.checkArity(line, word, a, 1, 1);
                return new Command.Sleep(line, number(line, a[0], 600_000));
            case "printlog":
                ScriptParser.checkArity(line, word, a, 1, 1);
                return new Command.PrintLog(line, node(line, a[0]));
            case "printview":
                ScriptParser.checkArity(line, word, a, 0, 0);
                return new Command.PrintView(line);
            case "printstatus":
                ScriptParser.checkArity(line, word, a, 1, 2);
                return new Command.PrintStatus(line, number(line, a[0], Long.MAX_VALUE),
                        a.length > 1 ? group(line, a[1]) : 1);
            case "accounts":
                ScriptParser.checkArity(line, word, a, 2, 2);
                return new Command.Accounts(line, range(line, a[0]), number(line, a[1], Long.MAX_VALUE / 4));
            case "transfer":
                ScriptParser.checkArity(line, word, a, 3, 3);
                return new Command.Transfer(line, ScriptParser.checkId(line, a[0]), ScriptParser.checkId(line, a[1]),
                        number(line, a[2], Long.MAX_VALUE / 4));
            case "balance":
                ScriptParser.checkArity(line, word, a, 1, 1);
                return new Command.Balance(line, ScriptParser.checkId(line, a[0]));
            case "put":
                ScriptParser.checkArity(line, word, a, 2, 2);
                return new Command.Put(line, ScriptParser.checkId(line, a[0]), value(line, a[1]));
            case "get":
                ScriptParser.checkArity(line, word, a, 1, 1);
                return new Command.Get(line, ScriptParser.checkId(line, a[0]));
            case "delete":
                ScriptParser.checkArity(line, word, a, 1, 1);
                return new Command.Delete(line, ScriptParser.checkId(line, a[0]));
            case "txn":
                return txn(line, word, a);
            case "printshard":
                ScriptParser.checkArity(line, word, a, 1, 1);
                return new Command.PrintShard(line, ScriptParser.checkId(line, a[0]));
            case "printdb":
                ScriptParser.checkArity(line, word, a, 0, 0);
                return new Command.PrintDB(line);
            case "performance":
                ScriptParser.checkArity(line, word, a, 0, 0);
                return new Command.Performance(line);
            case "printreshard":
                ScriptParser.checkArity(line, word, a, 0, 0);
                return new Command.PrintReshard(line);
            case "printplacement":
                ScriptParser.checkArity(line, word, a, 0, 0);
                return new Command.PrintPlacement(line);
            case "printbalance":
                ScriptParser.checkArity(line, word, a, 1, 1);
                return new Command.PrintBalance(line, ScriptParser.checkId(line, a[0]));
            default:
                throw ScriptParser.unknown(line, word, body);
        }
    }

    /** {@code Txn [CLIENT] STEP...} ({@link synod.client.TxnSteps}); keys and values as Put takes them. */
    private static Command txn(int line, String word, String[] a) throws ScriptError {
        int i = 0;
        String client = "kv";
        if (a.length > 0 && !synod.client.TxnSteps.STEP_WORDS.contains(a[0].toLowerCase(java.util.Locale.ROOT))) {
            client = ScriptParser.checkId(line, a[0]);
            i = 1;
        }
        List<synod.txn.TxnOp> steps;
        try {
            steps = synod.client.TxnSteps.parse(java.util.Arrays.asList(a).subList(i, a.length));
        } catch (IllegalArgumentException e) {
            throw new ScriptError(line, word + ": " + e.getMessage());
        }
        for (synod.txn.TxnOp s : steps) {
            ScriptParser.checkId(line, s.item());
            if (s instanceof synod.txn.TxnOp.Put p) {
                value(line, p.value());
            } else if (s instanceof synod.txn.TxnOp.Expect e) {
                value(line, e.value());
            }
        }
        return new Command.Txn(line, client, steps);
    }

    /** "A..J" (single letters) or "1..9000" (numbers): every account of the range, in order. */
    static List<String> range(int line, String s) throws ScriptError {
        String[] ends = s.split("\\.\\.");
        if (ends.length != 2) {
            throw new ScriptError(line, "a range is FIRST..LAST, got '" + s + "'");
        }
        List<String> ids = new ArrayList<>();
        if (ends[0].matches("[A-Za-z]") && ends[1].matches("[A-Za-z]")) {
            if (ends[0].charAt(0) > ends[1].charAt(0)) {
                throw new ScriptError(line, "bad range '" + s + "': " + ends[0] + " comes after " + ends[1]
                        + " (FIRST..LAST, as in A..J)");
            }
            for (char c = ends[0].charAt(0); c <= ends[1].charAt(0); c++) {
                ids.add(String.valueOf(c));
            }
            return ids;
        }
        long first = number(line, ends[0], 1_000_000);
        long last = number(line, ends[1], 1_000_000);
        if (first > last || last - first >= 100_000) {
            throw new ScriptError(line, "bad range '" + s + "' (at most 100,000 accounts, first <= last)");
        }
        for (long i = first; i <= last; i++) {
            ids.add(String.valueOf(i));
        }
        return ids;
    }

    /** A value is one word (no spaces), at most 1,024 characters. */
    private static String value(int line, String s) throws ScriptError {
        if (s.length() > 1024) {
            throw new ScriptError(line, "a value is at most 1024 characters, got " + s.length());
        }
        return s;
    }

    /** "n3", "N3" or "3" name node n3. */
    static String node(int line, String s) throws ScriptError {
        String digits = s.toLowerCase(java.util.Locale.ROOT).startsWith("n") ? s.substring(1) : s;
        if (!digits.matches("0*[1-9][0-9]{0,2}")) {
            throw new ScriptError(line, "bad node '" + s + "' (nodes are n1, n2, ...)");
        }
        return "n" + Integer.parseInt(digits);
    }

    /**
     * A group number, whatever its value: whether the cluster has that group is known only when the
     * line runs ({@link PaxosCluster#checkGroup}), which names the valid range.
     */
    private static long group(int line, String s) throws ScriptError {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ScriptError(line, "'" + s + "' is not a group number (groups are 1, 2, ...)");
        }
    }

    private static int count(int line, String s, int max) throws ScriptError {
        long v = number(line, s, max);
        if (v < 1) {
            throw new ScriptError(line, "'" + s + "' must be between 1 and " + max);
        }
        return (int) v;
    }

    private static long number(int line, String s, long max) throws ScriptError {
        try {
            long v = Long.parseLong(s);
            if (v < 0 || v > max) {
                throw new ScriptError(line, "'" + s + "' must be between 0 and " + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ScriptError(line, "'" + s + "' is not a number");
        }
    }

    /**
     * Milliseconds of injected latency, to the microsecond ("0.1" is 100 us), as microseconds: a
     * plain decimal (no sign, no exponent), at most {@link synod.runtime.MessageCheck#DELAY_MICROS_MAX}.
     */
    static long millis(int line, String s) throws ScriptError {
        if (!s.matches("[0-9]{1,9}(\\.[0-9]{1,3})?")) {
            throw new ScriptError(line, "'" + s + "' is not a delay in milliseconds (a number such as 5 or 0.1, to the microsecond)");
        }
        long micros = new java.math.BigDecimal(s).movePointRight(3).longValueExact();
        if (micros > synod.runtime.MessageCheck.DELAY_MICROS_MAX) {
            throw new ScriptError(line, "a delay is at most " + synod.runtime.MessageCheck.DELAY_MICROS_MAX / 1000
                    + " ms, got '" + s + "'");
        }
        return micros;
    }

    private static double rate(int line, String s) throws ScriptError {
        try {
            double v = Double.parseDouble(s.endsWith("%") ? s.substring(0, s.length() - 1) : s);
            v = s.endsWith("%") ? v / 100 : v;
            if (!(v >= 0 && v < 1)) {
                throw new ScriptError(line, "a drop rate is at least 0 and below 1 (or 0% to 99%), got '" + s + "'");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ScriptError(line, "'" + s + "' is not a rate");
        }
    }
}
