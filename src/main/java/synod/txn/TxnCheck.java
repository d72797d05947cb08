package synod.txn;

import java.util.List;

/**
 * Whether a 2PC message from another node may reach the agent: well formed, and consistent with
 * who sent it and with this cluster's layout. A message that is not is the sender's fault (or a
 * stranger's): the connection is closed, and nothing of it reaches the table or an assertion.
 */
public final class TxnCheck {
    /** Bounds no legitimate node reaches: ids and reasons it builds are short, amounts are bank amounts. */
    static final int TEXT_MAX = 256;
    static final long AMOUNT_MAX = Long.MAX_VALUE / 4;
    static final long NUMBER_MAX = 1L << 53;
    /** A transaction id: the coordinator group, a dot, its number there (compiled once: every 2PC message has one). */
    private static final java.util.regex.Pattern TXID = java.util.regex.Pattern.compile("[1-9][0-9]{0,2}\\.[1-9][0-9]{0,15}");
    /** The most steps a transaction takes (at its coordinator and in one PREPARE alike). */
    public static final int WRITES_MAX = 64;
    /** The longest refusal a NO vote carries: a guard's names a key and (the start of) its value. */
    static final int REASON_MAX = 1024;

    private TxnCheck() {}

    /** Why {@code m} from {@code from} is refused by a node of group {@code me}, or null if it is fine. */
    public static String problem(TxnMsg m, String from, List<List<String>> groups, int me) {
        if (m == null) {
            return "no message";
        }
        int g = m.group();
        if (g < 1 || g > groups.size() || g == me) {
            return "group " + g + " is not another group of this cluster";
        }
        if (!groups.get(g - 1).contains(from)) {
            return from + " speaks for group " + g + " but is not one of its nodes";
        }
        String txid = m.txid();
        int coord = coordinator(txid);
        if (coord < 1 || coord > groups.size()) {
            return "bad transaction id " + printable(txid);
        }
        boolean fromCoordinator = m instanceof TxnMsg.PrepareTxn || m instanceof TxnMsg.Decision;
        if (fromCoordinator ? coord != g : coord != me) {
            return "transaction " + txid + " is not coordinated by group " + (fromCoordinator ? g : me);
        }
        if (m instanceof TxnMsg.PrepareTxn p) {
            return writes(p.writes(), p.watermark(), groups.size());
        }
        if (m instanceof TxnMsg.Decision d) {
            return d.watermark() < 0 || d.watermark() > NUMBER_MAX ? "bad watermark " + d.watermark() : null;
        }
        if (m instanceof TxnMsg.Vote v && !v.yes()) {
            Outcome r = v.refusal();
            if (r == null || r.kind() == null || r.kind() == Outcome.Kind.PENDING || r.kind() == Outcome.Kind.COMMITTED
                    || r.reason() == null || !text(r.reason(), REASON_MAX)) {
                return "a NO vote without a refusal";
            }
        }
        return null;
    }

    /** The coordinator group of {@code txid} if it is "G.N" with sane numbers, else -1. */
    private static int coordinator(String txid) {
        if (txid == null || !TXID.matcher(txid).matches()) {
            return -1;
        }
        return TxnTable.number(txid) > NUMBER_MAX ? -1 : TxnTable.coordinatorOf(txid);
    }

    private static String writes(List<TxnOp> writes, long watermark, int groupCount) {
        if (watermark < 0 || watermark > NUMBER_MAX) {
            return "bad watermark " + watermark;
        }
        if (writes == null || writes.isEmpty() || writes.size() > WRITES_MAX) {
            return "a PREPARE needs 1 to " + WRITES_MAX + " writes";
        }
        for (TxnOp w : writes) {
            if (w == null || w.item() == null || !text(w.item())) {
                return "a write without a proper item";
            }
            String why = w.move() ? moveStep(w, groupCount) : step(w);
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    /** What is wrong with a move's step beyond its item: a group outside the cluster, a balance out of range. */
    private static String moveStep(TxnOp w, int groupCount) {
        if (w.movedTo() < 1 || w.movedTo() > groupCount) {
            return "a move to group " + w.movedTo() + ", outside 1.." + groupCount;
        }
        if (w instanceof TxnOp.TakeOver t && (t.balance() < 0 || t.balance() > AMOUNT_MAX)) {
            return "bad balance " + t.balance();
        }
        return null;
    }

    /** What is wrong with one write beyond its item: a bank amount out of range, a value missing. */
    private static String step(TxnOp w) {
        if (w instanceof TxnOp.Debit || w instanceof TxnOp.Credit) {
            long amount = w instanceof TxnOp.Debit d ? d.amount() : ((TxnOp.Credit) w).amount();
            return amount < 0 || amount > AMOUNT_MAX ? "bad amount " + amount : null;
        }
        String value = w instanceof TxnOp.Put p ? p.value() : w instanceof TxnOp.Expect e ? e.value() : "";
        // any text a client may store (control characters too), bounded by the frame it came in
        return value == null ? "a put or expect without its value" : null;
    }

    /** Short, printable, and valid UTF-16 (a lone surrogate could not even be written to the log). */
    static boolean text(String s) {
        return text(s, TEXT_MAX);
    }

    private static boolean text(String s, int max) {
        if (s.isEmpty() || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c) && (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(++i)))) {
                return false;
            }
            if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String s) {
        return s == null ? "null" : s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
