package synod.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import synod.core.Check;

/**
 * The lock service: each lock has at most one holder and a first-come-first-served queue of
 * waiters. Every grant of a lock carries a fencing token larger than every earlier grant of that
 * lock, so a storage service can refuse a stale holder. Re-locking by the holder keeps the lock and
 * answers its current token; re-locking by a waiter keeps its place; only the holder may unlock.
 *
 * <p>Invariants: a holder is never also a waiter; a waiter appears once; tokens never repeat.
 */
public final class LockTable implements StateMachine {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One lock's state; public for the JSON of checkpoints. */
    public record Entry(String holder, long token, List<String> waiters) {}

    private final Map<String, Entry> locks = new TreeMap<>();

    @Override
    public Applied apply(String client, Op op) {
        if (OpCheck.missing(op) != null) {
            return new Applied(OpCheck.refusal("lock service", op), List.of());
        }
        if (client == null) {
            return new Applied(new Result.Aborted(OpCheck.name(op) + ": the client is missing"), List.of());
        }
        if (op instanceof Op.Lock l) {
            return lock(client, l.lock());
        }
        if (op instanceof Op.Unlock u) {
            return unlock(client, u.lock());
        }
        return new Applied(OpCheck.refusal("lock service", op), List.of());
    }

    private Applied lock(String client, String lock) {
        Entry e = locks.get(lock);
        if (e == null || e.holder() == null) {
            long token = (e == null ? 0 : e.token()) + 1;
            locks.put(lock, new Entry(client, token, List.of()));
            return new Applied(new Result.Acquired(lock, token), List.of());
        }
        if (e.holder().equals(client)) {
            return new Applied(new Result.Acquired(lock, e.token()), List.of());
        }
        if (!e.waiters().contains(client)) {
            List<String> waiters = new ArrayList<>(e.waiters());
            waiters.add(client);
            locks.put(lock, new Entry(e.holder(), e.token(), List.copyOf(waiters)));
        }
        return new Applied(new Result.Waiting(lock), List.of());
    }

    private Applied unlock(String client, String lock) {
        Entry e = locks.get(lock);
        if (e == null || !client.equals(e.holder())) {
            return new Applied(new Result.NotHolder(lock), List.of());
        }
        if (e.waiters().isEmpty()) {
            locks.put(lock, new Entry(null, e.token(), List.of()));
            return new Applied(new Result.Released(lock), List.of());
        }
        String next = e.waiters().get(0);
        long token = e.token() + 1;
        locks.put(lock, new Entry(next, token, List.copyOf(e.waiters().subList(1, e.waiters().size()))));
        Check.that(!next.equals(client), "holder %s was also waiting for %s", client, lock);
        return new Applied(new Result.Released(lock, next, token),
                List.of(new Notice(next, new Result.Acquired(lock, token))));
    }

    /** The holder of {@code lock}, or null; for checkers. */
    public String holder(String lock) {
        Entry e = locks.get(lock);
        return e == null ? null : e.holder();
    }

    /** The token of the latest grant of {@code lock}, 0 if never granted; for checkers. */
    public long lastToken(String lock) {
        Entry e = locks.get(lock);
        return e == null ? 0 : e.token();
    }

    @Override
    public JsonNode snapshot() {
        return JSON.valueToTree(locks);
    }

    @Override
    public void restore(JsonNode snapshot) {
        locks.clear();
        snapshot.fields().forEachRemaining(f -> locks.put(f.getKey(), JSON.convertValue(f.getValue(), Entry.class)));
    }
}
