package synod.client;

import java.util.ArrayList;
import java.util.List;
import synod.app.Result;

/** How a result reads, for the master's scripts (EXACT, SPEC section 2) and bin/client alike. */
public final class ResultLines {
    private ResultLines() {}

    /**
     * The lines for {@code client}'s result; with {@code withGrant}, a release that handed the lock
     * to a waiter is followed by that waiter's grant.
     */
    public static List<String> of(String client, Result r, boolean withGrant) {
        List<String> lines = new ArrayList<>();
        if (r instanceof Result.Acquired a) {
            lines.add(client + " acquired " + a.lock() + " token " + a.token());
        } else if (r instanceof Result.Waiting w) {
            lines.add(client + " waits for " + w.lock());
        } else if (r instanceof Result.Released rel) {
            lines.add(client + " released " + rel.lock());
            if (withGrant && rel.grantedTo() != null) {
                lines.add(rel.grantedTo() + " acquired " + rel.lock() + " token " + rel.token());
            }
        } else if (r instanceof Result.NotHolder n) {
            lines.add(client + " ERR_NOT_HOLDER " + n.lock());
        } else {
            lines.add(client + " " + r);
        }
        return lines;
    }

    /** A key-value result: {@code OK}, {@code K = V} or {@code K not found}. */
    public static String kv(Result r) {
        if (r instanceof Result.Ok) {
            return "OK";
        }
        if (r instanceof Result.Value v) {
            return v.key() + " = " + v.value();
        }
        if (r instanceof Result.NotFound n) {
            return n.key() + " not found";
        }
        return "aborted: " + reason(r);
    }

    /** Why a request did nothing, in words. */
    public static String reason(Result r) {
        if (r instanceof Result.Aborted a) {
            return a.reason();
        }
        if (r instanceof Result.Elsewhere e) {
            return e.item() + " is in group " + e.group();
        }
        return String.valueOf(r);
    }

    /**
     * What became of a key-value transaction: {@code txn committed}, {@code txn failed: K is V2}
     * (a guard did not hold; nothing changed) or {@code txn aborted: REASON}.
     */
    public static String txn(Result r) {
        if (r instanceof Result.Committed) {
            return "txn committed";
        }
        if (r instanceof Result.Failed f) {
            return "txn failed: " + f.reason();
        }
        return "txn aborted: " + reason(r);
    }

    /** A transfer as the SPEC names it in results: {@code (FROM, TO, AMOUNT)}. */
    public static String transferHead(String from, String to, long amount) {
        return "(" + from + ", " + to + ", " + amount + ")";
    }

    /** What became of a transfer: {@code committed}, {@code failed: insufficient balance} or {@code aborted: REASON}. */
    public static String transfer(Result r) {
        if (r instanceof Result.Committed) {
            return "committed";
        }
        if (r instanceof Result.Insufficient) {
            return "failed: insufficient balance";
        }
        return "aborted: " + reason(r);
    }

    /** A balance read: {@code ACCOUNT = BALANCE}, or why it could not be read. */
    public static String balance(String account, Result r) {
        return r instanceof Result.Amount amt ? account + " = " + amt.balance()
                : "aborted: " + reason(r);
    }
}
