package synod.paxos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import synod.app.Op;
import synod.txn.Outcome;
import synod.txn.TxnEntry;
import synod.txn.TxnOp;

/**
 * How many bytes of JSON a request, value or pvalue takes in a frame, exactly as the codec writes
 * it (compact UTF-8; a quote, a backslash and five control characters escaped in two bytes, other
 * control characters and every surrogate in six), computed without encoding: the leader sizes
 * every request it batches, and the cost must not show. An op type not sized here is measured by
 * encoding it.
 *
 * <p>The budgets keep every message that carries entries below {@code frameBytesMax}: whatever a
 * message adds around its list of entries (type, ballot, slots, part numbers, brackets, every
 * number at its longest) fits in {@link #ENVELOPE}; a pvalue adds at most {@link #PVALUE_WRAP}
 * around its value, a value {@link #VALUE_WRAP} around its requests. So a value of at most
 * {@link #valueBudget} fits an Accept, a Decide, a catch-up entry, a promise and a new view, and a
 * request of at most {@link #requestBudget} fits a value alone.
 */
public final class WireSize {
    private WireSize() {}

    /** Room for a message around its entries; the longest today (a Promise part) needs under 200 bytes. */
    public static final int ENVELOPE = 512;
    /** Room for a pvalue around its value, {@code {"ballot":{"round":R,"node":N},"slot":S,"value":}}: 97 bytes at most. */
    public static final int PVALUE_WRAP = 128;
    /** {@code {"requests":[} and {@code ]}}. */
    public static final int VALUE_WRAP = 15;

    /**
     * Room a key-value transaction's request leaves for the 2PC entry that carries its steps to a
     * participant's log ({@code {"client":"#2pc/TXID/prepare","seq":0,"op":{"op":"2pc","entry":
     * {"step":"prepare","txid":TXID,"writes":STEPS,"watermark":N}}}}), which takes under 200
     * bytes more than the request around the same steps.
     */
    public static final int TXN_ENTRY_WRAP = 256;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The bytes a message's list of entries may take (each entry's size plus one for its comma). */
    public static int entriesBudget(int frameBytesMax) {
        return frameBytesMax - ENVELOPE;
    }

    /** The largest value a slot may decide. */
    public static int valueBudget(int frameBytesMax) {
        return entriesBudget(frameBytesMax) - PVALUE_WRAP;
    }

    /** The largest request the edge takes: it fits a value alone. */
    public static int requestBudget(int frameBytesMax) {
        return valueBudget(frameBytesMax) - VALUE_WRAP;
    }

    /** {@code {"client":C,"seq":N,"op":OP}}. */
    public static int request(Request r) {
        return 24 + string(r.client()) + number(r.seq()) + op(r.op());
    }

    /** {@code {"requests":[R1,R2]}}. */
    public static int value(Value v) {
        int n = VALUE_WRAP;
        List<Request> rs = v.requests();
        for (int i = 0; i < rs.size(); i++) {
            n += request(rs.get(i)) + (i > 0 ? 1 : 0);
        }
        return n;
    }

    /** {@code {"ballot":B,"slot":S,"value":V}}. */
    public static int pvalue(PValue pv) {
        return 28 + ballot(pv.ballot()) + number(pv.slot()) + (pv.value() == null ? 4 : value(pv.value()));
    }

    /** {@code {"round":R,"node":N}}. */
    public static int ballot(Ballot b) {
        return b == null ? 4 : 18 + number(b.round()) + number(b.node());
    }

    /** An op: {@code {"op":"put","key":K,"value":V}} and the like. */
    public static int op(Op op) {
        if (op == null) {
            return 4;
        }
        if (op instanceof Op.Lock l) {
            return head(4) + field(4) + string(l.lock()) + 1;
        }
        if (op instanceof Op.Unlock u) {
            return head(6) + field(4) + string(u.lock()) + 1;
        }
        if (op instanceof Op.Put p) {
            return head(3) + field(3) + string(p.key()) + field(5) + string(p.value()) + 1;
        }
        if (op instanceof Op.Get g) {
            return head(3) + field(3) + string(g.key()) + 1;
        }
        if (op instanceof Op.Delete d) {
            return head(6) + field(3) + string(d.key()) + 1;
        }
        if (op instanceof Op.Transfer t) {
            return head(8) + field(4) + string(t.from()) + field(2) + string(t.to()) + field(6) + number(t.amount())
                    + 1;
        }
        if (op instanceof Op.Balance b) {
            return head(7) + field(7) + string(b.account()) + 1;
        }
        if (op instanceof Op.Open o) {
            int list = 2 + Math.max(0, o.accounts().size() - 1);
            for (String a : o.accounts()) {
                list += string(a);
            }
            return head(4) + field(8) + list + field(7) + number(o.balance()) + 1;
        }
        if (op instanceof Op.Txn t && t.entry() != null) {
            int entry = txnEntry(t.entry()); // a leader's own 2PC steps: a third of a sharded group's entries
            if (entry >= 0) {
                return head(3) + field(5) + entry + 1;
            }
        }
        return encoded(op); // Place, a key-value step, and op types added since: rare, so measured
    }

    /**
     * {@code {"step":"ack","txid":T,"group":G}} and the like, for the steps of a bank transfer
     * across groups; -1 for one that carries a key-value step (measured instead).
     */
    private static int txnEntry(TxnEntry e) {
        if (e instanceof TxnEntry.Ack a) {
            return step(3) + field(4) + string(a.txid()) + field(5) + number(a.group()) + 1;
        }
        if (e instanceof TxnEntry.Decide d) {
            return step(6) + field(4) + string(d.txid()) + field(6) + (d.commit() ? 4 : 5) + field(7)
                    + outcome(d.outcome()) + field(9) + number(d.watermark()) + 1;
        }
        if (e instanceof TxnEntry.Prepare p && p.writes() != null) {
            int list = 2 + Math.max(0, p.writes().size() - 1);
            for (TxnOp w : p.writes()) {
                if (w instanceof TxnOp.Credit c) {
                    list += bankStep(6, c.item(), c.amount());
                } else if (w instanceof TxnOp.Debit d) {
                    list += bankStep(5, d.item(), d.amount());
                } else {
                    return -1;
                }
            }
            return step(7) + field(4) + string(p.txid()) + field(6) + list + field(9) + number(p.watermark()) + 1;
        }
        return -1;
    }

    /** {@code {"step":"NAME"}} without its closing brace. */
    private static int step(int nameChars) {
        return 10 + nameChars;
    }

    /** {@code {"w":"credit","item":I,"amount":N}}. */
    private static int bankStep(int nameChars, String item, long amount) {
        return 7 + nameChars + field(4) + string(item) + field(6) + number(amount) + 1;
    }

    /** {@code {"kind":"COMMITTED","reason":R}}, or {@code null}. */
    private static int outcome(Outcome o) {
        if (o == null) {
            return 4;
        }
        return 8 + (o.kind() == null ? 4 : string(o.kind().name())) + field(6) + string(o.reason()) + 1;
    }

    /** {@code {"op":"NAME"}} without its closing brace, for a name of {@code nameChars} ASCII characters. */
    private static int head(int nameChars) {
        return 8 + nameChars;
    }

    /** {@code ,"NAME":} for a field name of {@code nameChars} ASCII characters. */
    private static int field(int nameChars) {
        return 4 + nameChars;
    }

    private static int encoded(Object o) {
        try {
            return JSON.writeValueAsBytes(o).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + o.getClass().getSimpleName(), e);
        }
    }

    /** A JSON string with its quotes, as UTF-8 bytes; null is {@code null}. */
    public static int string(String s) {
        if (s == null) {
            return 4;
        }
        int n = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80) {
                n += c == '"' || c == '\\' ? 2 : 1;
            } else if (c < 0x20) {
                n += c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r' ? 2 : 6;
            } else if (c < 0x800) {
                n += 2;
            } else {
                n += Character.isSurrogate(c) ? 6 : 3; // a surrogate, paired or not, is escaped: backslash-u, 4 hex
            }
        }
        return n;
    }

    /** A JSON number's characters. */
    public static int number(long v) {
        if (v == Long.MIN_VALUE) {
            return 20;
        }
        int n = v < 0 ? 2 : 1;
        for (long x = Math.abs(v); x >= 10; x /= 10) {
            n++;
        }
        return n;
    }
}
