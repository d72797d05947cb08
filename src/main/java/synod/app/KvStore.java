package synod.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/** The key-value store: string keys to string values; a read goes through the log (linearizable). */
public final class KvStore {
    private final TreeMap<String, String> entries = new TreeMap<>();

    public Result apply(Op op) {
        if (OpCheck.missing(op) != null) {
            return OpCheck.refusal("key-value store", op);
        }
        if (op instanceof Op.Put p) {
            entries.put(p.key(), p.value());
            return new Result.Ok();
        }
        if (op instanceof Op.Get g) {
            String v = entries.get(g.key());
            return v == null ? new Result.NotFound(g.key()) : new Result.Value(g.key(), v);
        }
        if (op instanceof Op.Delete d) {
            return entries.remove(d.key()) == null ? new Result.NotFound(d.key()) : new Result.Ok();
        }
        return OpCheck.refusal("key-value store", op);
    }

    /** Sets {@code key} to {@code value}, or removes it when {@code value} is null (a transaction's step or undo). */
    void set(String key, String value) {
        if (value == null) {
            entries.remove(key);
        } else {
            entries.put(key, value);
        }
    }

    /** The value under {@code key}, or null. */
    public String get(String key) {
        return entries.get(key);
    }

    public int size() {
        return entries.size();
    }

    JsonNode snapshot() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        entries.forEach(n::put);
        return n;
    }

    void restore(JsonNode snapshot) {
        entries.clear();
        if (snapshot != null) {
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) snapshot::fields) {
                entries.put(e.getKey(), e.getValue().asText());
            }
        }
    }
}
