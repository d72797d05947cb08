package synod.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import synod.core.NodeIds;

/**
 * The bank: accounts and balances. A transfer moves money only if the sender has it; a refusal is
 * a result, never an exception. Invariant: a transfer never creates or destroys money, and no
 * balance goes below zero.
 *
 * <p>It also knows which accounts were <em>modified</em> (written by a committed operation) since
 * they were opened: what a CSE535 Project 3 {@code PrintDB} lists. The set is replicated state like
 * the balances (every replica applies the same ops, and it is in the checkpoint).
 */
public final class BankLedger {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Hashed: a transfer looks up two accounts, and ordering them on every lookup cost more than the transfer. */
    private final java.util.HashMap<String, Long> accounts = new java.util.HashMap<>();
    /** Accounts written since opened; never iterated unsorted. */
    private final java.util.HashSet<String> modified = new java.util.HashSet<>();

    public Result apply(Op op) {
        if (OpCheck.missing(op) != null) {
            return OpCheck.refusal("bank", op);
        }
        if (op instanceof Op.Open o) {
            o.accounts().forEach(a -> accounts.put(a, o.balance()));
            o.accounts().forEach(modified::remove);
            return new Result.Opened(o.accounts().size());
        }
        if (op instanceof Op.Transfer t) {
            return transfer(t);
        }
        if (op instanceof Op.Balance b) {
            Long have = accounts.get(b.account());
            return have == null ? new Result.Aborted("no account " + b.account()) : new Result.Amount(b.account(), have);
        }
        return OpCheck.refusal("bank", op);
    }

    private Result transfer(Op.Transfer t) {
        Long from = accounts.get(t.from());
        Long to = accounts.get(t.to());
        if (from == null || to == null) {
            return new Result.Aborted("no account " + (from == null ? t.from() : t.to()));
        }
        if (t.amount() < 0) {
            return new Result.Aborted("negative amount " + t.amount());
        }
        if (from < t.amount()) {
            return new Result.Insufficient();
        }
        set(t.from(), from - t.amount());
        set(t.to(), accounts.get(t.to()) + t.amount());
        return new Result.Committed();
    }

    /**
     * Writes {@code account}'s balance and records it as modified: how every committed effect on an
     * account is made (a transfer here; a two-phase commit's writes). The account must exist.
     */
    public void set(String account, long balance) {
        if (!accounts.containsKey(account)) {
            throw new IllegalStateException("no account " + account + " to set");
        }
        accounts.put(account, balance);
        modified.add(account);
    }

    /** Whether {@code account} was written since it was opened. */
    public boolean isModified(String account) {
        return modified.contains(account);
    }

    /**
     * Sets whether {@code account} counts as modified: for an undo that restores an image, flag
     * included, so that an aborted write leaves no trace in {@link #describeModified}.
     */
    public void setModified(String account, boolean isModified) {
        if (isModified && accounts.containsKey(account)) {
            modified.add(account);
        } else {
            modified.remove(account);
        }
    }

    /** "1001=9, 1002=11" for the modified accounts only, in reading order; "" if none. */
    public String describeModified() {
        List<String> parts = new ArrayList<>();
        sorted().forEach((a, v) -> {
            if (modified.contains(a)) {
                parts.add(a + "=" + v);
            }
        });
        return String.join(", ", parts);
    }

    /** "A=10, B=8, ..." in reading order: PrintDB's body. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        sorted().forEach((a, v) -> parts.add(a + "=" + v));
        return String.join(", ", parts);
    }

    /** Sets an existing account's balance: a two-phase commit's tentative write or its undo. */
    void put(String account, long balance) {
        accounts.put(account, balance);
    }

    /** Closes {@code account}: a move committed, and another group holds it now. */
    void remove(String account) {
        accounts.remove(account);
        modified.remove(account);
    }

    /** The balance of {@code account}, or null. */
    public Long balance(String account) {
        return accounts.get(account);
    }

    /** The accounts in reading order ("2" before "10"): how they print and how a checkpoint lists them. */
    private TreeMap<String, Long> sorted() {
        TreeMap<String, Long> s = new TreeMap<>(NodeIds.ORDER);
        s.putAll(accounts);
        return s;
    }

    JsonNode snapshot() {
        com.fasterxml.jackson.databind.node.ObjectNode n = JSON.createObjectNode();
        n.set("accounts", JSON.valueToTree(sorted()));
        n.set("modified", JSON.valueToTree(modified.stream().sorted(NodeIds.ORDER).toList()));
        return n;
    }

    /** Takes this snapshot or one written before the modified set existed (the accounts map alone). */
    void restore(JsonNode snapshot) {
        accounts.clear();
        modified.clear();
        boolean current = snapshot.has("modified") && snapshot.path("accounts").isObject();
        Map<String, Long> m = JSON.convertValue(current ? snapshot.get("accounts") : snapshot,
                TypeFactory.defaultInstance().constructMapType(TreeMap.class, String.class, Long.class));
        accounts.putAll(m);
        if (current) {
            snapshot.get("modified").forEach(a -> modified.add(a.asText()));
        }
    }
}
