package synod.runtime;

import synod.app.Op;
import synod.paxos.Request;

/**
 * What a client may ask of a node, checked at the edge before a request is ever proposed: a client
 * id and names (keys, locks, accounts) of bounded length, valid UTF-16, without control characters;
 * only the op types listed here (an allow-list: an op the nodes make among themselves is refused
 * from a client until it is listed), each with every field it needs. Client ids starting with '#'
 * or holding '/' are reserved for a node's own requests.
 *
 * <p>Each rule answers why a request breaks it, in words that never echo the offending text (it
 * may be anything), or null.
 */
final class ClientRules {
    private ClientRules() {}

    /** The op types a client may send. */
    static final java.util.Set<Class<? extends Op>> FROM_CLIENTS = java.util.Set.of(Op.Lock.class, Op.Unlock.class,
            Op.Open.class, Op.Transfer.class, Op.Balance.class, Op.Put.class, Op.Get.class, Op.Delete.class,
            Op.Place.class, Op.KvTxn.class, Op.Move.class);
    /**
     * The op types only nodes make (a group leader's own 2PC steps): a client that sends one is
     * refused. Every Op subtype is in exactly one of these sets.
     */
    static final java.util.Set<Class<? extends Op>> NOT_FROM_CLIENTS = java.util.Set.of(Op.Txn.class);

    /** Why {@code r} is refused, or null if it may be proposed. */
    static String problem(Request r) {
        if (r == null) {
            return "the request is missing";
        }
        String why = idProblem(r.client());
        if (why != null) {
            return why;
        }
        if (r.seq() < 0) {
            return "the request number is negative";
        }
        return op(r.op());
    }

    /**
     * {@code id} if a refusal may name it back to its sender (any text that is valid UTF-16: the
     * client knows its own id, however wrong, and matches the answer by it), else null.
     */
    static String echo(String id) {
        return id != null && loneSurrogate(id) < 0 ? id : null;
    }

    /** Why {@code id} is no client id, or null. */
    static String idProblem(String id) {
        String why = text(id, MessageCheck.ID_CHARS_MAX, "client id");
        if (why != null) {
            return why;
        }
        if (id.isEmpty()) {
            return "the client id is empty";
        }
        if (id.charAt(0) == '#' || id.indexOf('/') >= 0) {
            return "client ids starting with '#' or holding '/' are reserved for the nodes' own requests";
        }
        return null;
    }

    private static String op(Op op) {
        if (op == null) {
            return "the op is missing";
        }
        if (!FROM_CLIENTS.contains(op.getClass())) {
            return "op " + synod.app.OpCheck.name(op) + " is not accepted from clients";
        }
        if (op instanceof Op.Lock l) {
            return name(l.lock(), "lock name");
        }
        if (op instanceof Op.Unlock u) {
            return name(u.lock(), "lock name");
        }
        if (op instanceof Op.Put p) {
            String why = name(p.key(), "key");
            return why != null ? why : value(p.value());
        }
        if (op instanceof Op.Get g) {
            return name(g.key(), "key");
        }
        if (op instanceof Op.Delete d) {
            return name(d.key(), "key");
        }
        if (op instanceof Op.Transfer t) {
            String why = name(t.from(), "account");
            return why != null ? why : name(t.to(), "account");
        }
        if (op instanceof Op.Balance b) {
            return name(b.account(), "account");
        }
        if (op instanceof Op.Open o) {
            return open(o);
        }
        if (op instanceof Op.KvTxn t) {
            return kvTxn(t);
        }
        if (op instanceof Op.Place p) {
            return place(p);
        }
        if (op instanceof Op.Move m) {
            String why = name(m.account(), "account");
            return why != null ? why : m.to() < 1 || m.to() > MessageCheck.GROUPS_MAX
                    ? "a move's group is outside 1.." + MessageCheck.GROUPS_MAX : null;
        }
        return null;
    }

    /** A transaction's steps: puts, deletes and guards of distinct, proper keys (bank steps are not a client's). */
    private static String kvTxn(Op.KvTxn t) {
        String why = synod.app.OpCheck.kvTxn(t);
        if (why != null) {
            return why;
        }
        for (synod.txn.TxnOp s : t.steps()) {
            why = name(s.item(), "key");
            if (why == null && s instanceof synod.txn.TxnOp.Put p) {
                why = value(p.value());
            }
            if (why == null && s instanceof synod.txn.TxnOp.Expect e) {
                why = value(e.value());
            }
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    private static String open(Op.Open o) {
        if (o.balance() < 0) {
            return "an opening balance is negative";
        }
        for (String a : o.accounts()) {
            String why = name(a, "account");
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    /** The master sends the placement as a client would; it must name ranges a group can hold. */
    private static String place(Op.Place p) {
        for (Op.Range r : p.ranges()) {
            if (r == null) {
                return "a range is missing";
            }
            String why = name(r.first(), "first item of a range");
            if (why == null) {
                why = name(r.last(), "last item of a range");
            }
            if (why != null) {
                return why;
            }
            if (r.group() < 1 || r.group() > MessageCheck.GROUPS_MAX) {
                return "a range's group is outside 1.." + MessageCheck.GROUPS_MAX;
            }
        }
        return null;
    }

    private static String name(String s, String what) {
        return text(s, MessageCheck.NAME_CHARS_MAX, what);
    }

    /** A value may hold any text (control characters too: the log escapes them) but must be valid UTF-16. */
    private static String value(String s) {
        if (s == null) {
            return "the value is missing";
        }
        int at = loneSurrogate(s);
        return at < 0 ? null : "the value is not valid UTF-16 (a lone surrogate at char " + at + ")";
    }

    /** Why {@code s} is no identifier or name of at most {@code max} characters, or null. */
    static String text(String s, int max, String what) {
        if (s == null) {
            return "the " + what + " is missing";
        }
        if (s.length() > max) {
            return "the " + what + " is longer than " + max + " characters";
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
                return "the " + what + " holds a control character (at char " + i + ")";
            }
        }
        int at = loneSurrogate(s);
        return at < 0 ? null : "the " + what + " is not valid UTF-16 (a lone surrogate at char " + at + ")";
    }

    /** The index of the first surrogate in {@code s} that is not half of a pair, or -1. */
    static int loneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }
}
