package synod.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import synod.app.LockTable;
import synod.app.Op;
import synod.app.Result;
import synod.app.StateMachine;
import synod.paxos.Replica;
import synod.paxos.Request;
import synod.paxos.Value;

/**
 * The ground truth of a simulated Paxos lock service, kept beside the cores and never by them: the
 * reference execution of what its {@link ChosenLog} chose (from durable acceptances), on a reference
 * {@link LockTable} with an exactly-once set of (client, seq), giving the state every replica must
 * have after each slot, the result each request must answer, and the holder of every fencing token.
 */
final class PaxosTruth implements ChosenLog.Reference {
    private record Grant(String client, long at) {}

    private final List<String> clients;
    private final ChosenLog log;
    private final LockTable ref = new LockTable();
    private final TreeSet<String> executedIds = new TreeSet<>();
    private final TreeMap<String, Replica.Executed> lastExecuted = new TreeMap<>();
    private final TreeMap<String, Result> results = new TreeMap<>();
    /** For an executed Unlock: the token of the grant it ended (0 if it ended none). */
    private final TreeMap<String, Long> releasedTokens = new TreeMap<>();
    /** Per lock, token to the grant: which client, at which position of the reference execution. */
    private final TreeMap<String, TreeMap<Long, Grant>> grants = new TreeMap<>();
    /** Position in the reference execution of each executed request. */
    private final TreeMap<String, Long> executedAt = new TreeMap<>();
    private long executedRequests = 0;

    PaxosTruth(int majority, List<String> clients) {
        this.clients = List.copyOf(clients);
        this.log = new ChosenLog(majority, this);
    }

    /** What the group chose, from its acceptors' durable records. */
    ChosenLog log() {
        return log;
    }

    static String id(String client, long seq) {
        return client + "#" + seq;
    }

    long executedRequests() {
        return executedRequests;
    }

    @Override
    public String initial() {
        return canonical(ref.snapshot(), lastExecuted::get);
    }

    @Override
    public String execute(long slot, Value v) {
        for (Request r : v.requests()) {
            execute(r);
        }
        JsonNode snap = ref.snapshot();
        checkLocks(snap);
        return canonical(snap, lastExecuted::get);
    }

    @Override
    public String stateOf(Replica replica) {
        return canonical(replica.machine().snapshot(), replica::executed);
    }

    private void execute(Request r) {
        String id = id(r.client(), r.seq());
        if (!executedIds.add(id)) {
            return;
        }
        Replica.Executed before = lastExecuted.get(r.client());
        Sim.expect(before == null || before.seq() < r.seq(),
                "client %s's request %d executes after its request %d", r.client(), r.seq(), before == null ? 0 : before.seq());
        long releasing = 0;
        if (r.op() instanceof Op.Unlock u && r.client().equals(ref.holder(u.lock()))) {
            releasing = ref.lastToken(u.lock());
        }
        StateMachine.Applied a = ref.apply(r.client(), r.op());
        executedRequests++;
        executedAt.put(id, executedRequests);
        results.put(id, a.result());
        releasedTokens.put(id, releasing);
        lastExecuted.put(r.client(), new Replica.Executed(r.seq(), a.result()));
        if (a.result() instanceof Result.Acquired g) {
            grant(g, r.client());
        }
        for (StateMachine.Notice n : a.notices()) {
            Sim.expect(n.result() instanceof Result.Acquired, "the lock service sent %s a notice %s", n.client(), n.result());
            grant((Result.Acquired) n.result(), n.client());
        }
    }

    /** Tokens of a lock strictly increase from grant to grant; a re-lock by the holder repeats its token. */
    private void grant(Result.Acquired g, String client) {
        TreeMap<Long, Grant> byToken = grants.computeIfAbsent(g.lock(), l -> new TreeMap<>());
        if (!byToken.isEmpty() && byToken.lastKey() == g.token()) {
            Sim.expect(byToken.lastEntry().getValue().client().equals(client), "token %d of lock %s granted to %s and to %s",
                    g.token(), g.lock(), byToken.lastEntry().getValue().client(), client);
            return;
        }
        Sim.expect(byToken.isEmpty() || g.token() > byToken.lastKey(), "lock %s granted to %s with token %d after token %d",
                g.lock(), client, g.token(), byToken.isEmpty() ? 0 : byToken.lastKey());
        byToken.put(g.token(), new Grant(client, executedRequests));
    }

    /** One holder per lock, never also waiting; each waiter queued once. */
    private static void checkLocks(JsonNode snap) {
        snap.fields().forEachRemaining(f -> {
            JsonNode holder = f.getValue().get("holder");
            TreeSet<String> seen = new TreeSet<>();
            for (JsonNode w : f.getValue().get("waiters")) {
                Sim.expect(seen.add(w.asText()), "lock %s queues %s twice: %s", f.getKey(), w.asText(), f.getValue());
                Sim.expect(holder.isNull() || !holder.asText().equals(w.asText()), "lock %s's holder also waits: %s",
                        f.getKey(), f.getValue());
            }
            Sim.expect(!holder.isNull() || seen.isEmpty(), "lock %s is free but has waiters: %s", f.getKey(), f.getValue());
        });
    }

    private String canonical(JsonNode snapshot, Function<String, Replica.Executed> table) {
        return ChosenLog.canonical(snapshot, clients, table);
    }

    /** What request {@code (client, seq)} answered when executed, or null if it has not been. */
    Result result(String client, long seq) {
        return results.get(id(client, seq));
    }

    /** The token an executed Unlock ended, 0 if none. */
    long releasedToken(String client, long seq) {
        return releasedTokens.getOrDefault(id(client, seq), 0L);
    }

    /** The client granted {@code lock} with {@code token}, or null. */
    String grantee(String lock, long token) {
        Map<Long, Grant> byToken = grants.get(lock);
        Grant g = byToken == null ? null : byToken.get(token);
        return g == null ? null : g.client();
    }

    /** Whether {@code lock}'s grant {@code token} happened after request {@code (client, seq)} executed. */
    boolean grantedAfter(String lock, long token, String client, long seq) {
        return grants.get(lock).get(token).at() > executedAt.get(id(client, seq));
    }

    /** Grants of every lock, oldest first: "lock:token=client ...". */
    String grantsSummary() {
        StringBuilder sb = new StringBuilder();
        grants.forEach((lock, byToken) -> byToken.forEach((t, g) -> sb.append(lock).append(':').append(t).append('=')
                .append(g.client()).append(' ')));
        return sb.toString().trim();
    }
}
