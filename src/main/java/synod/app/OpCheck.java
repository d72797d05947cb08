package synod.app;

/**
 * Whether an op has what applying it needs: every field it names present. The services ask before
 * they apply, and answer a missing field with a refusal ({@link #refusal}) instead of the exception
 * that would kill every replica applying the log entry, and again at every restart while it
 * replays. The edge ({@code synod.runtime.MessageCheck}) asks the same question, and more, before a
 * client's request is ever proposed; this is the log's own defence, for whatever got in anyway.
 *
 * <p>Pure: the same op gets the same answer on every replica. An op type it does not know has no
 * problem it can name; the service that receives it refuses it as one it cannot apply.
 */
public final class OpCheck {
    private OpCheck() {}

    /** What is missing from {@code op} ("put: the key is missing"), or null if nothing is. */
    public static String missing(Op op) {
        if (op == null) {
            return "no op";
        }
        if (op instanceof Op.Lock l) {
            return l.lock() == null ? "lock: the lock name is missing" : null;
        }
        if (op instanceof Op.Unlock u) {
            return u.lock() == null ? "unlock: the lock name is missing" : null;
        }
        if (op instanceof Op.Put p) {
            return p.key() == null ? "put: the key is missing" : p.value() == null ? "put: the value is missing" : null;
        }
        if (op instanceof Op.Get g) {
            return g.key() == null ? "get: the key is missing" : null;
        }
        if (op instanceof Op.Delete d) {
            return d.key() == null ? "delete: the key is missing" : null;
        }
        if (op instanceof Op.Transfer t) {
            return t.from() == null || t.to() == null ? "transfer: an account is missing" : null;
        }
        if (op instanceof Op.Balance b) {
            return b.account() == null ? "balance: the account is missing" : null;
        }
        if (op instanceof Op.Move m) {
            return m.account() == null ? "move: the account is missing" : null;
        }
        if (op instanceof Op.Place p) {
            for (Op.Range r : p.ranges()) {
                if (r.first() == null || r.last() == null) {
                    return "place: an end of a range is missing";
                }
            }
            return null;
        }
        if (op instanceof Op.KvTxn t) {
            return kvTxn(t);
        }
        if (op instanceof Op.Txn t) {
            return t.entry() == null || t.entry().txid() == null ? "2pc: the step or its transaction is missing" : null;
        }
        return null; // Open cannot be built with a missing account (List.copyOf refuses nulls)
    }

    /**
     * What makes a key-value transaction one the store cannot apply: no steps, a step missing or
     * not the store's (a bank debit, say), a key missing, written twice or guarded twice (one guard
     * and one write of a key is a compare-and-set: every guard is evaluated before any write). Checked by the edge
     * before a request is proposed, and by the store before it applies one.
     */
    public static String kvTxn(Op.KvTxn t) {
        if (t.steps() == null || t.steps().isEmpty()) {
            return "txn: no steps";
        }
        if (t.steps().size() > synod.txn.TxnCheck.WRITES_MAX) {
            return "txn: more than " + synod.txn.TxnCheck.WRITES_MAX + " steps";
        }
        java.util.TreeSet<String> written = new java.util.TreeSet<>();
        java.util.TreeSet<String> guarded = new java.util.TreeSet<>();
        for (synod.txn.TxnOp s : t.steps()) {
            if (s == null || !s.kv()) {
                return "txn: a step is missing or not a put, del or expect";
            }
            if (s.item() == null) {
                return "txn: a step's key is missing";
            }
            if ((s instanceof synod.txn.TxnOp.Put p && p.value() == null)
                    || (s instanceof synod.txn.TxnOp.Expect e && e.value() == null)) {
                return "txn: a step's value is missing";
            }
            boolean guard = s instanceof synod.txn.TxnOp.Expect || s instanceof synod.txn.TxnOp.ExpectAbsent;
            if (!(guard ? guarded : written).add(s.item())) {
                return guard ? "txn: a key is guarded twice" : "txn: a key is written twice";
            }
        }
        return null;
    }

    /** The refusal of an op the service cannot apply: a problem {@link #missing} found, or one of another service. */
    static Result refusal(String service, Op op) {
        String why = missing(op);
        return new Result.Aborted(why != null ? why : "the " + service + " cannot apply " + name(op));
    }

    /** An op's kind, as the wire names it ("put"); never its fields, which may be anything. */
    public static String name(Op op) {
        if (op == null) {
            return "no op";
        }
        var type = op.getClass().getAnnotation(com.fasterxml.jackson.annotation.JsonTypeName.class);
        if (type != null) {
            return type.value();
        }
        for (var t : Op.class.getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class).value()) {
            if (t.value() == op.getClass()) {
                return t.name();
            }
        }
        return op.getClass().getSimpleName();
    }
}
