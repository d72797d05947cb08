package synod.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import synod.app.Op;
import synod.app.Result;
import synod.paxos.PaxosMsg;
import synod.paxos.Request;

/**
 * A lock client of a simulated Paxos group: one request outstanding at a time, sent to a random node
 * (or the leader a reply named) and retried with the same (client, seq) on the next node round the
 * group after each timeout, until answered. It locks and
 * unlocks a few locks, polls a lock it waits for, and sometimes unlocks one it does not hold.
 *
 * <p>It keeps what it believes it holds, from replies and grant notices, and checks every answer
 * against that belief and against {@link PaxosTruth}: a holder is never told it does not hold, a
 * token never goes backwards, and every answer is the one the chosen order gives.
 */
final class SimClient {
    /** Sends a request from this client to a node. */
    interface Net {
        void send(String from, String to, PaxosMsg m);
    }

    final String id;
    private final Random random;
    private final List<String> nodes;
    private final List<String> locks;
    private final PaxosTruth truth;
    private final int timeoutTicks;
    private long seq = 0;
    private Request outstanding;
    private long sentAt;
    private String leaderHint;
    private String lastTo;
    private final TreeMap<String, Long> held = new TreeMap<>();
    private final TreeSet<String> waiting = new TreeSet<>();
    /** Per lock, the highest token this client has released: grants at or below it are old news. */
    private final TreeMap<String, Long> released = new TreeMap<>();
    long completed;
    long retries;
    long waits;
    long notHolders;
    long notices;

    SimClient(String id, Random random, List<String> nodes, List<String> locks, PaxosTruth truth, int timeoutTicks) {
        this.id = id;
        this.random = random;
        this.nodes = nodes;
        this.locks = locks;
        this.truth = truth;
        this.timeoutTicks = timeoutTicks;
    }

    boolean idle() {
        return outstanding == null;
    }

    Request outstanding() {
        return outstanding;
    }

    /** Issues a new request (when idle and {@code issue}) or retries the outstanding one after a timeout. */
    void act(long now, boolean issue, Net net) {
        if (outstanding == null) {
            if (issue) {
                outstanding = new Request(id, ++seq, chooseOp());
                send(now, net);
            }
        } else if (now - sentAt >= timeoutTicks) {
            retries++;
            leaderHint = null; // perhaps down: go round the nodes, so a live one is reached
            lastTo = nodes.get((nodes.indexOf(lastTo) + 1) % nodes.size());
            sentAt = now;
            net.send(id, lastTo, new PaxosMsg.ClientRequest(outstanding));
        }
    }

    private void send(long now, Net net) {
        sentAt = now;
        lastTo = leaderHint != null && random.nextBoolean() ? leaderHint : nodes.get(random.nextInt(nodes.size()));
        net.send(id, lastTo, new PaxosMsg.ClientRequest(outstanding));
    }

    private Op chooseOp() {
        double d = random.nextDouble();
        if (!held.isEmpty() && d < 0.5) {
            return new Op.Unlock(pick(new ArrayList<>(held.keySet())));
        }
        if (!waiting.isEmpty() && d < 0.7) {
            return new Op.Lock(pick(new ArrayList<>(waiting))); // poll: a waiter re-locking keeps its place
        }
        if (random.nextDouble() < 0.15) {
            return new Op.Unlock(pick(locks)); // often not held: NotHolder
        }
        return new Op.Lock(pick(locks));
    }

    private String pick(List<String> from) {
        return from.get(random.nextInt(from.size()));
    }

    void onReply(PaxosMsg.ClientReply r) {
        Sim.expect(r.client().equals(id), "%s got %s's reply", id, r.client());
        if (outstanding == null || r.seq() != outstanding.seq()) {
            return; // an answer to a retry of a request already answered
        }
        Result expected = truth.result(id, r.seq());
        Sim.expect(r.result().equals(expected), "%s's request %d (%s) answered %s, but the chosen order gives %s",
                id, r.seq(), outstanding.op(), r.result(), expected);
        Op op = outstanding.op();
        outstanding = null;
        completed++;
        if (r.leader() != null) {
            leaderHint = r.leader();
        }
        Result res = r.result();
        if (res instanceof Result.Acquired a) {
            Long had = held.get(a.lock());
            Sim.expect(had == null || had == a.token(), "%s holds %s with token %d but re-locking answered token %d",
                    id, a.lock(), had, a.token());
            Sim.expect(a.token() > released.getOrDefault(a.lock(), 0L), "%s released %s's token %d, then got token %d",
                    id, a.lock(), released.getOrDefault(a.lock(), 0L), a.token());
            granted(a);
        } else if (res instanceof Result.Waiting w) {
            waits++;
            if (held.containsKey(w.lock())) {
                // Only if the grant it knows of came after this request (its notice overtook this reply).
                Sim.expect(truth.grantedAfter(w.lock(), held.get(w.lock()), id, r.seq()),
                        "%s holds %s (token %d) but locking it again made it wait", id, w.lock(), held.get(w.lock()));
            } else {
                waiting.add(w.lock());
            }
        } else if (res instanceof Result.Released rel) {
            long token = truth.releasedToken(id, r.seq());
            released.merge(rel.lock(), token, Math::max);
            held.remove(rel.lock());
            waiting.remove(rel.lock());
        } else if (res instanceof Result.NotHolder n) {
            notHolders++;
            Sim.expect(!held.containsKey(n.lock()) || truth.grantedAfter(n.lock(), held.get(n.lock()), id, r.seq()),
                    "%s holds %s (token %d) but unlocking it answered NotHolder", id, n.lock(), held.get(n.lock()));
        } else {
            throw new Sim.SimFailure(id + " got " + res + " for " + op);
        }
    }

    void onNotice(PaxosMsg.Notice n) {
        Sim.expect(n.client().equals(id), "%s got %s's notice", id, n.client());
        Sim.expect(n.result() instanceof Result.Acquired, "%s got notice %s", id, n.result());
        notices++;
        granted((Result.Acquired) n.result());
    }

    /** A grant, by reply or notice: it must be this client's in the truth, and news unless already released. */
    private void granted(Result.Acquired a) {
        String to = truth.grantee(a.lock(), a.token());
        Sim.expect(id.equals(to), "%s told it holds %s with token %d, but that token was granted to %s",
                id, a.lock(), a.token(), to);
        if (a.token() <= released.getOrDefault(a.lock(), 0L)) {
            return; // a late or duplicated notice of a grant this client has since released
        }
        Long had = held.get(a.lock());
        Sim.expect(had == null || had == a.token(), "%s holds %s with token %d and is granted it again with token %d",
                id, a.lock(), had, a.token());
        held.put(a.lock(), a.token());
        waiting.remove(a.lock());
    }

    @Override
    public String toString() {
        return id + (outstanding == null ? " idle" : " waits for " + outstanding.seq() + " " + outstanding.op()
                + " since " + sentAt) + " holds " + held + " waiting " + waiting;
    }
}
