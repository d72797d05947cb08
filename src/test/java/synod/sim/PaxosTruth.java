package synod.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import synod.app.LockTable;
import synod.app.Op;
import synod.app.Result;
import synod.app.StateMachine;
import synod.paxos.Ballot;
import synod.paxos.PValue;
import synod.paxos.Replica;
import synod.paxos.Request;
import synod.paxos.Value;

/**
 * The ground truth of a simulated Paxos group, kept beside the cores and never by them.
 *
 * <p>What is chosen is computed from the acceptors' durable records, not from anyone's say-so: a
 * value is chosen for a slot when a majority has durably accepted it at one ballot. Two values chosen
 * for one slot, two values at one (slot, ballot), a Decide or catch-up of a value that is not (yet)
 * chosen, are each a failure. The chosen prefix is executed on a reference {@link LockTable} with an
 * exactly-once set of (client, seq), giving the state every replica must have after each slot, the
 * result each request must answer, and the holder of every fencing token.
 */
final class PaxosTruth {
    private record Grant(String client, long at) {}

    private static final class Vote {
        final Value value;
        final TreeSet<String> acceptors = new TreeSet<>();

        Vote(Value value) {
            this.value = value;
        }
    }

    private final int majority;
    private final List<String> clients;
    private final TreeMap<Long, Value> chosen = new TreeMap<>();
    private final TreeMap<Long, TreeMap<Ballot, Vote>> votes = new TreeMap<>();

    private final LockTable ref = new LockTable();
    private long next = 0;
    private final TreeSet<String> executedIds = new TreeSet<>();
    private final TreeMap<String, Replica.Executed> lastExecuted = new TreeMap<>();
    private final TreeMap<String, Result> results = new TreeMap<>();
    /** For an executed Unlock: the token of the grant it ended (0 if it ended none). */
    private final TreeMap<String, Long> releasedTokens = new TreeMap<>();
    /** Per lock, token to the grant: which client, at which position of the reference execution. */
    private final TreeMap<String, TreeMap<Long, Grant>> grants = new TreeMap<>();
    /** Position in the reference execution of each executed request. */
    private final TreeMap<String, Long> executedAt = new TreeMap<>();
    /** stateBefore.get(s): the reference state (service and exactly-once table) with slots below s applied. */
    private final List<String> stateBefore = new ArrayList<>();
    private long executedRequests = 0;
    private long fingerprint = 17;

    PaxosTruth(int majority, List<String> clients) {
        this.majority = majority;
        this.clients = List.copyOf(clients);
        stateBefore.add(canonical(ref.snapshot(), lastExecuted::get));
    }

    static String id(String client, long seq) {
        return client + "#" + seq;
    }

    long chosenBelow() {
        return next;
    }

    int chosenCount() {
        return chosen.size();
    }

    long executedRequests() {
        return executedRequests;
    }

    long fingerprint() {
        return fingerprint;
    }

    /** Acceptor {@code node} durably accepted {@code pv}: a vote, and perhaps a choice. */
    void accepted(String node, PValue pv) {
        Vote v = votes.computeIfAbsent(pv.slot(), s -> new TreeMap<>())
                .computeIfAbsent(pv.ballot(), b -> new Vote(pv.value()));
        Sim.expect(v.value.equals(pv.value()), "two values proposed for slot %d at ballot %s: %s (accepted by %s) and %s"
                + " (accepted by %s)", pv.slot(), pv.ballot(), v.value, v.acceptors, pv.value(), node);
        if (v.acceptors.add(node) && v.acceptors.size() == majority) {
            choose(pv.slot(), pv.value(), "a majority " + v.acceptors + " at " + pv.ballot());
        }
    }

    private void choose(long slot, Value value, String how) {
        Value had = chosen.putIfAbsent(slot, value);
        Sim.expect(had == null || had.equals(value), "slot %d chose two values: %s, then %s by %s", slot, had, value, how);
        if (had == null) {
            fingerprint = fingerprint * 31 + slot * 7 + value.hashCode();
            advance();
        }
    }

    /** Someone (a Decide, a catch-up, a replica) claims {@code slot} decided {@code value}. */
    void claimed(long slot, Value value, String who) {
        Value v = chosen.get(slot);
        Sim.expect(v != null, "%s says slot %d decided %s, but no majority accepted anything there yet (%s)",
                who, slot, value, votes.get(slot) == null ? "no votes" : describe(votes.get(slot)));
        Sim.expect(v.equals(value), "%s says slot %d decided %s, but %s was chosen", who, slot, value, v);
    }

    private static String describe(TreeMap<Ballot, Vote> vs) {
        StringBuilder sb = new StringBuilder();
        vs.forEach((b, v) -> sb.append(b).append(v.acceptors).append(' '));
        return sb.toString().trim();
    }

    /** Executes every chosen slot that became contiguous on the reference service. */
    private void advance() {
        for (Value v = chosen.get(next); v != null; v = chosen.get(next)) {
            for (Request r : v.requests()) {
                execute(r);
            }
            next++;
            JsonNode snap = ref.snapshot();
            checkLocks(snap);
            stateBefore.add(canonical(snap, lastExecuted::get));
        }
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
        StringBuilder sb = new StringBuilder(snapshot.toString());
        for (String c : clients) {
            Replica.Executed e = table.apply(c);
            if (e != null) {
                sb.append(' ').append(c).append('=').append(e.seq()).append(':').append(e.result());
            }
        }
        return sb.toString();
    }

    /**
     * Replica of {@code node} moved from {@code before} to its {@code slotOut()}: every slot it applied
     * was chosen, and its service and exactly-once table equal the reference after the same prefix.
     */
    void checkReplica(String node, Replica replica, long before) {
        long out = replica.slotOut();
        Sim.expect(out <= next, "%s applied slots below %d, but only slots below %d are chosen contiguously",
                node, out, next);
        for (long s = Math.max(before, replica.checkpointSlot()); s < out; s++) {
            Value v = replica.decidedValue(s);
            if (v != null) {
                Sim.expect(v.equals(chosen.get(s)), "%s applied %s in slot %d, but %s was chosen", node, v, s, chosen.get(s));
            }
        }
        String mine = canonical(replica.machine().snapshot(), replica::executed);
        String truth = stateBefore.get((int) out);
        if (!mine.equals(truth)) { // not Sim.expect: the message is costly to build
            throw new Sim.SimFailure(node + " after slot " + out + " has state " + mine + "\n  the chosen prefix gives " + truth);
        }
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
