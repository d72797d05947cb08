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
 */
public final class BankLedger {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Hashed: a transfer looks up two accounts, and ordering them on every lookup cost more than the transfer. */
    private final java.util.HashMap<String, Long> accounts = new java.util.HashMap<>();

    public Result apply(Op op) {
        if (OpCheck.missing(op) != null) {
            return OpCheck.refusal("bank", op);
        }
        if (op instanceof Op.Open o) {
            o.accounts().forEach(a -> accounts.put(a, o.balance()));
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
        accounts.put(t.from(), from - t.amount());
        accounts.put(t.to(), accounts.get(t.to()) + t.amount());
        return new Result.Committed();
    }

    /** "A=10, B=8, ..." in reading order: PrintDB's body. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        sorted().forEach((a, v) -> parts.add(a + "=" + v));
        return String.join(", ", parts);
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
        return JSON.valueToTree(sorted());
    }

    void restore(JsonNode snapshot) {
        accounts.clear();
        Map<String, Long> m = JSON.convertValue(snapshot,
                TypeFactory.defaultInstance().constructMapType(TreeMap.class, String.class, Long.class));
        accounts.putAll(m);
    }
}
