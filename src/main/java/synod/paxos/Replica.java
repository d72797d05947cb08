package synod.paxos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import synod.app.Op;
import synod.app.OpCheck;
import synod.app.Result;
import synod.app.StateMachine;
import synod.core.Check;
import synod.core.Output;

/**
 * The replica: it learns decided slots (in any order) and applies them to the {@link StateMachine}
 * strictly in slot order, executing each client request at most once. It answers the clients
 * attached to this node, serves catch-up to lagging peers, and checkpoints the service so the log
 * prefix can be dropped.
 *
 * <p>Invariants: {@code slotOut} only grows; every slot below it was applied exactly once, in
 * order; a client's entry in the exactly-once table only moves to higher request numbers.
 */
public final class Replica {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The latest request of a client that was executed, and its answer. */
    public record Executed(long seq, Result result) {}

    private final StateMachine machine;
    private final TreeMap<Long, Value> decided = new TreeMap<>();
    private final TreeMap<String, Executed> clients = new TreeMap<>();
    /** Clients that asked this node directly, and the address that reaches them. */
    private final TreeMap<String, String> attached = new TreeMap<>();
    private final List<String> touched = new ArrayList<>();
    private long slotOut = 0;
    private long checkpointSlot = 0;
    /** The latest checkpoint, and its JSON for catch-up replies, built when a peer first needs it. */
    private Durable.Checkpoint checkpoint = null;
    private JsonNode checkpointJson = null;

    public Replica(StateMachine machine) {
        this.machine = machine;
    }

    /** The next slot to apply; every slot below it is applied. */
    public long slotOut() {
        return slotOut;
    }

    public long checkpointSlot() {
        return checkpointSlot;
    }

    public boolean knowsDecided(long slot) {
        return slot < slotOut || decided.containsKey(slot);
    }

    /** The decided value of {@code slot} if still held (not checkpointed away). */
    public Value decidedValue(long slot) {
        return decided.get(slot);
    }

    public StateMachine machine() {
        return machine;
    }

    /** The executed request of {@code client} with the highest number, or null. */
    public Executed executed(String client) {
        return clients.get(client);
    }

    /** {@code client} is reached through {@code address}: answers and notices go there. */
    public void attach(String client, String address) {
        attached.put(client, address);
    }

    /** Learns that {@code slot} decided {@code value}, then applies whatever became contiguous. */
    public void onDecide(long slot, Value value, String leader, Output out) {
        if (slot < slotOut) {
            return;
        }
        Value had = decided.putIfAbsent(slot, value);
        Check.that(had == null || had.equals(value), "slot %d decided twice: %s and %s", slot, had, value);
        drain(leader, out);
    }

    /** Applies every decided slot that is next in order. */
    public void drain(String leader, Output out) {
        while (decided.containsKey(slotOut)) {
            apply(decided.get(slotOut), leader, out);
            slotOut++;
        }
    }

    private void apply(Value value, String leader, Output out) {
        for (Request r : value.requests()) {
            if (r.client() == null) {
                continue; // nobody to answer or remember: skipped alike on every replica (the edge lets none in)
            }
            if (r.op() instanceof Op.Txn) {
                collect(applyOne(r), leader, out); // idempotent: no exactly-once entry
                continue;
            }
            Executed last = clients.get(r.client());
            if (last != null && last.seq() >= r.seq()) {
                continue; // a retry decided again: executed once already
            }
            StateMachine.Applied a = applyOne(r);
            if (a.result() != null) {
                answer(r.client(), r.seq(), a.result(), leader, out);
            }
            collect(a, leader, out);
        }
    }

    /**
     * Records and sends an answer. A deferred request (a transaction across groups) is recorded only
     * when its answer comes; a busy one never is: it changed nothing, and its retry must run again.
     */
    private void answer(String client, long seq, Result result, String leader, Output out) {
        if (!(result instanceof Result.Busy)) {
            Executed last = clients.get(client);
            if (last != null && last.seq() >= seq) {
                return;
            }
            clients.put(client, new Executed(seq, result));
        }
        String to = attached.get(client);
        if (to != null) {
            out.send(to, new PaxosMsg.ClientReply(client, seq, result, leader));
        }
    }

    private void collect(StateMachine.Applied a, String leader, Output out) {
        for (StateMachine.Notice n : a.notices()) {
            String addr = attached.get(n.client());
            if (addr != null) {
                out.send(addr, new PaxosMsg.Notice(n.client(), n.result()));
            }
        }
        for (StateMachine.Completion c : a.completions()) {
            answer(c.client(), c.seq(), c.result(), leader, out);
        }
        touched.addAll(a.touched());
    }

    /** Transactions whose two-phase-commit record executed entries changed since the last call. */
    public List<String> takeTouched() {
        if (touched.isEmpty()) {
            return List.of();
        }
        List<String> t = List.copyOf(touched);
        touched.clear();
        return t;
    }

    /**
     * Applies one op. An exception out of the service is its bug, but one that every replica meets at
     * the same entry, at every restart too: a refusal (named by the exception's class alone, which is
     * the same everywhere) keeps the log from holding a poison pill. A broken invariant still crashes.
     */
    private StateMachine.Applied applyOne(Request r) {
        try {
            return machine.apply(r.client(), r.seq(), r.op());
        } catch (Check.InvariantViolation e) {
            throw e;
        } catch (RuntimeException e) {
            return new StateMachine.Applied(new Result.Aborted("cannot apply " + OpCheck.name(r.op()) + ": "
                    + e.getClass().getSimpleName()), List.of());
        }
    }

    /**
     * If {@code every} slots were applied since the last checkpoint, takes one: the returned record
     * holds the service and exactly-once table; decided values below it are dropped. Else null.
     */
    public Durable.Checkpoint maybeCheckpoint(int every) {
        if (every <= 0 || slotOut - checkpointSlot < every) {
            return null;
        }
        checkpointSlot = slotOut;
        decided.headMap(slotOut, false).clear();
        taken(new Durable.Checkpoint(slotOut, machine.snapshot(), JSON.valueToTree(clients)));
        return checkpoint;
    }

    /**
     * The checkpoint to serve catch-up from. Its JSON is built when a peer first needs it: building
     * it at every checkpoint copied the whole state once more, on every node, for a catch-up that
     * seldom comes.
     */
    private void taken(Durable.Checkpoint c) {
        checkpoint = c;
        checkpointJson = null;
    }

    private JsonNode checkpointJson() {
        if (checkpointJson == null && checkpoint != null) {
            checkpointJson = JSON.valueToTree(checkpoint);
        }
        return checkpointJson;
    }

    /** Catch-up for a peer at {@code fromSlot}: up to {@code max} contiguous decided slots. */
    public PaxosMsg.CatchUpReply catchUp(long fromSlot, int max) {
        boolean needCheckpoint = fromSlot < checkpointSlot && checkpoint != null;
        long from = needCheckpoint ? checkpointSlot : fromSlot;
        List<PValue> entries = new ArrayList<>();
        for (long s = from; s < from + max && decided.containsKey(s); s++) {
            entries.add(new PValue(Ballot.ZERO, s, decided.get(s)));
        }
        return new PaxosMsg.CatchUpReply(from, entries, needCheckpoint ? checkpointSlot : 0,
                needCheckpoint ? checkpointJson() : null);
    }

    /**
     * Installs a peer's checkpoint if it is ahead of this replica; returns it (to persist) or null.
     */
    public Durable.Checkpoint install(JsonNode json) {
        Durable.Checkpoint c = JSON.convertValue(json, Durable.Checkpoint.class);
        if (c.slot() <= slotOut) {
            return null;
        }
        restore(c);
        return c;
    }

    /** Restores a checkpoint (from the log at restart, or from a peer). */
    public void restore(Durable.Checkpoint c) {
        machine.restore(c.state());
        clients.clear();
        Map<String, Executed> table = JSON.convertValue(c.clients(),
                TypeFactory.defaultInstance().constructMapType(TreeMap.class, String.class, Executed.class));
        clients.putAll(table);
        slotOut = c.slot();
        checkpointSlot = c.slot();
        taken(c);
        decided.headMap(c.slot(), false).clear();
    }
}
