package synod.txn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import synod.core.Check;

/**
 * A group's two-phase-commit state, part of its replicated state machine and of its checkpoints:
 * the transactions it coordinates and those it takes part in, the locks they hold and the undo
 * images of their tentative writes. Only executed log entries change it, so every replica holds the
 * same table, and a new leader finds in it every transaction that still needs a message.
 *
 * <p>Locking is no-wait: a transaction that meets a locked item changes nothing and is retried by
 * its client, so no transaction ever waits for another (no deadlock). Reads of a locked item are
 * refused the same way: a read never sees a write that may still be undone.
 *
 * <p>Invariants: an item is locked by at most one transaction, and exactly while that transaction
 * is prepared (or preparing, at its coordinator); a transaction is decided once; an abort restores
 * every image its prepare took.
 */
public final class TxnTable {
    private static final ObjectMapper JSON = new ObjectMapper();

    public enum State { PREPARING, PREPARED, REFUSED, COMMITTED, ABORTED }

    /** A transaction this group coordinates: its client, the other groups' writes, its own undo images. */
    public record Coord(String txid, String client, long seq, TreeMap<Integer, List<TxnOp>> remote,
                        List<TxnStore.Image> undo, State state, Outcome outcome, TreeSet<Integer> acks) {
        public boolean decided() {
            return state == State.COMMITTED || state == State.ABORTED;
        }
    }

    /** A transaction this group takes part in: whose it is, its undo images, and how it stands. */
    public record Part(String txid, int coordGroup, List<TxnStore.Image> undo, State state, Outcome vote) {}

    /** The final answer for request {@code seq} of {@code client}, whose first execution was deferred. */
    public record Completion(String client, long seq, Outcome outcome) {}

    /** Transaction ids in the order they began: by coordinator group, then number ("1.9" before "1.10"). */
    public static final java.util.Comparator<String> ORDER = java.util.Comparator
            .comparingInt(TxnTable::coordinatorOf).thenComparingLong(TxnTable::number);

    private final int group;
    private long counter;
    private final TreeMap<String, Coord> coords = new TreeMap<>(ORDER);
    private final TreeMap<String, Part> parts = new TreeMap<>(ORDER);
    private final TreeMap<String, String> locks = new TreeMap<>();
    /** Clients whose request is a transaction in progress here: a retry of it must not begin another. */
    private final TreeMap<String, Long> inProgress = new TreeMap<>();
    /** Per coordinator group, the number below which all of its transactions are over everywhere. */
    private final TreeMap<Integer, Long> watermarks = new TreeMap<>();
    private final List<String> touched = new ArrayList<>();
    private final List<Completion> completions = new ArrayList<>();

    public TxnTable(int group) {
        this.group = group;
    }

    public int group() {
        return group;
    }

    // ---- what the rest of the state machine asks ----

    /** The transaction holding {@code item}, or null. */
    public String lockHolder(String item) {
        return locks.get(item);
    }

    public Coord coord(String txid) {
        return coords.get(txid);
    }

    public Part part(String txid) {
        return parts.get(txid);
    }

    public Map<String, Coord> coords() {
        return java.util.Collections.unmodifiableMap(coords);
    }

    public Map<String, Part> parts() {
        return java.util.Collections.unmodifiableMap(parts);
    }

    public int lockCount() {
        return locks.size();
    }

    /** Every transaction of this group numbered below this is over and acknowledged everywhere. */
    public long watermark() {
        return coords.isEmpty() ? counter + 1 : number(coords.firstKey());
    }

    /** Transactions an executed entry changed since the last call: what the leader may need to send. */
    public List<String> takeTouched() {
        List<String> t = List.copyOf(touched);
        touched.clear();
        return t;
    }

    /** Answers for clients whose requests finished since the last call. */
    public List<Completion> takeCompletions() {
        List<Completion> c = List.copyOf(completions);
        completions.clear();
        return c;
    }

    /**
     * The group that coordinates {@code txid} ("2.17": group 2's 17th). Parsed in place, without a
     * substring: it runs in every comparison of {@link #ORDER}, so in every lookup of the tables.
     * Ids are "G.N" with digits only: {@link TxnCheck} refuses any other at the edge.
     */
    public static int coordinatorOf(String txid) {
        int g = 0;
        for (int i = 0; txid.charAt(i) != '.'; i++) {
            g = g * 10 + digit(txid, i);
        }
        return g;
    }

    static long number(String txid) {
        long n = 0;
        for (int i = txid.indexOf('.') + 1; i < txid.length(); i++) {
            n = n * 10 + digit(txid, i);
        }
        return n;
    }

    private static int digit(String txid, int i) {
        int d = txid.charAt(i) - '0';
        Check.that(d >= 0 && d <= 9, "transaction id %s got past the edge", txid);
        return d;
    }

    // ---- coordinator ----

    /**
     * The client's request reached the log: prepare this group's own writes and begin 2PC with the
     * groups in {@code remote}. PENDING means the answer comes as a {@link Completion}.
     */
    public Outcome begin(String client, long seq, List<TxnOp> local, Map<Integer, List<TxnOp>> remote,
                         TxnStore store) {
        Long running = inProgress.get(client);
        if (running != null && running == seq) {
            return Outcome.PENDING; // a retry of the transaction in progress
        }
        Outcome refused = check(local, store);
        if (refused != null) {
            return refused;
        }
        String txid = group + "." + (++counter);
        List<TxnStore.Image> undo = lockAndApply(txid, local, store);
        coords.put(txid, new Coord(txid, client, seq, new TreeMap<>(remote), undo, State.PREPARING, Outcome.PENDING,
                new TreeSet<>()));
        inProgress.put(client, seq);
        touched.add(txid);
        return Outcome.PENDING;
    }

    private void decideAsCoordinator(TxnEntry.Decide d, TxnStore store) {
        Coord c = coords.get(d.txid());
        if (c == null || c.state() != State.PREPARING) {
            return; // decided already (a second leader's duplicate decision)
        }
        State s = d.commit() ? State.COMMITTED : State.ABORTED;
        finish(d.txid(), c.undo(), d.commit(), store);
        coords.put(d.txid(), new Coord(c.txid(), c.client(), c.seq(), c.remote(), List.of(), s, d.outcome(), c.acks()));
        inProgress.remove(c.client());
        completions.add(new Completion(c.client(), c.seq(), d.outcome()));
        touched.add(d.txid());
    }

    private void ack(TxnEntry.Ack a) {
        Coord c = coords.get(a.txid());
        if (c == null || !c.decided() || !c.remote().containsKey(a.group())) {
            return;
        }
        c.acks().add(a.group());
        if (c.acks().containsAll(c.remote().keySet())) {
            coords.remove(a.txid()); // every group applied the decision: nobody will ask again
        }
        touched.add(a.txid());
    }

    // ---- participant ----

    private void prepare(TxnEntry.Prepare p, TxnStore store) {
        int coord = coordinatorOf(p.txid());
        raiseWatermark(coord, p.watermark());
        if (parts.containsKey(p.txid()) || number(p.txid()) < watermarks.getOrDefault(coord, 0L)) {
            touched.add(p.txid()); // a duplicate: the leader answers from the record
            return;
        }
        Outcome refused = check(p.writes(), store);
        if (refused != null) {
            parts.put(p.txid(), new Part(p.txid(), coord, List.of(), State.REFUSED, refused));
        } else {
            parts.put(p.txid(), new Part(p.txid(), coord, lockAndApply(p.txid(), p.writes(), store), State.PREPARED,
                    null));
        }
        touched.add(p.txid());
    }

    private void decideAsParticipant(TxnEntry.Decide d, TxnStore store) {
        int coord = coordinatorOf(d.txid());
        raiseWatermark(coord, d.watermark());
        Part p = parts.get(d.txid());
        if (p == null && number(d.txid()) < watermarks.getOrDefault(coord, 0L)) {
            return; // over and forgotten
        }
        if (p != null && (p.state() == State.COMMITTED || p.state() == State.ABORTED)) {
            touched.add(d.txid()); // decided already: the leader acknowledges again
            return;
        }
        Check.that(!(d.commit() && (p == null || p.state() == State.REFUSED)),
                "transaction %s committed without this group's yes vote (%s)", d.txid(), p);
        if (p != null && p.state() == State.PREPARED) {
            finish(d.txid(), p.undo(), d.commit(), store);
        }
        // A decision for a transaction never prepared here (its PREPARE was lost, then it timed out):
        // remembered as aborted, so that a late PREPARE of it is refused.
        parts.put(d.txid(), new Part(d.txid(), coord, List.of(), d.commit() ? State.COMMITTED : State.ABORTED,
                p == null ? null : p.vote()));
        touched.add(d.txid());
    }

    private void raiseWatermark(int coord, long mark) {
        if (mark <= watermarks.getOrDefault(coord, 0L)) {
            return;
        }
        watermarks.put(coord, mark);
        // ORDER sorts by coordinator, then number: coord's transactions below mark are one range.
        parts.subMap(coord + ".0", true, coord + "." + mark, false).values()
                .removeIf(p -> p.state() != State.PREPARED);
    }

    // ---- both ----

    /** Executes a 2PC step decided in this group's log. */
    public void apply(TxnEntry e, TxnStore store) {
        if (e instanceof TxnEntry.Prepare p) {
            prepare(p, store);
        } else if (e instanceof TxnEntry.Decide d) {
            if (coordinatorOf(d.txid()) == group) {
                decideAsCoordinator(d, store);
            } else {
                decideAsParticipant(d, store);
            }
        } else if (e instanceof TxnEntry.Ack a) {
            ack(a);
        }
    }

    /**
     * Why {@code writes} cannot be prepared now (an item locked, missing or short, a guard that
     * does not hold), or null. Locks are looked at first: a guard is only ever evaluated against
     * committed state, never against another transaction's tentative write.
     */
    public Outcome check(List<TxnOp> writes, TxnStore store) {
        for (TxnOp w : writes) {
            String holder = locks.get(w.item());
            if (holder != null) {
                return Outcome.busy(w.item() + " is locked by transaction " + holder);
            }
        }
        for (TxnOp w : writes) {
            TxnStore.Refusal r = store.refusal(w);
            if (r != null) {
                return Outcome.refused(r);
            }
        }
        return null;
    }

    /** Applies {@code writes} at once, without locks: a transaction of this group alone, one log entry. */
    public void applyNow(List<TxnOp> writes, TxnStore store) {
        for (TxnOp w : writes) {
            Check.that(locks.get(w.item()) == null, "%s applied while locked by %s", w.item(), locks.get(w.item()));
            TxnStore.Image img = store.apply(w);
            store.committed(img);
        }
    }

    private List<TxnStore.Image> lockAndApply(String txid, List<TxnOp> writes, TxnStore store) {
        List<TxnStore.Image> undo = new ArrayList<>();
        for (TxnOp w : writes) {
            String had = locks.put(w.item(), txid);
            Check.that(had == null || had.equals(txid), "%s locked by %s and %s", w.item(), had, txid);
            undo.add(store.apply(w));
        }
        return undo;
    }

    /** Releases {@code txid}'s locks; on abort, first puts its images back (newest first). */
    private void finish(String txid, List<TxnStore.Image> undo, boolean commit, TxnStore store) {
        for (int i = undo.size() - 1; i >= 0; i--) {
            TxnStore.Image img = undo.get(i);
            Check.that(txid.equals(locks.get(img.item())), "%s finishes without holding %s", txid, img.item());
            if (commit) {
                store.committed(img);
            } else {
                store.restore(img);
            }
        }
        undo.forEach(img -> locks.remove(img.item()));
    }

    // ---- checkpoints ----

    public JsonNode snapshot() {
        ObjectNode n = JSON.createObjectNode();
        n.put("counter", counter);
        n.set("coords", JSON.valueToTree(coords));
        n.set("parts", JSON.valueToTree(parts));
        n.set("locks", JSON.valueToTree(locks));
        n.set("inProgress", JSON.valueToTree(inProgress));
        n.set("watermarks", JSON.valueToTree(watermarks));
        return n;
    }

    public void restore(JsonNode n) {
        coords.clear();
        parts.clear();
        locks.clear();
        inProgress.clear();
        watermarks.clear();
        touched.clear();
        completions.clear();
        counter = 0;
        if (n == null || n.isNull()) {
            return; // a checkpoint from before two-phase commit
        }
        var types = JSON.getTypeFactory();
        counter = n.get("counter").asLong();
        coords.putAll(JSON.convertValue(n.get("coords"), types.constructMapType(TreeMap.class, String.class, Coord.class)));
        parts.putAll(JSON.convertValue(n.get("parts"), types.constructMapType(TreeMap.class, String.class, Part.class)));
        locks.putAll(JSON.convertValue(n.get("locks"), types.constructMapType(TreeMap.class, String.class, String.class)));
        inProgress.putAll(JSON.convertValue(n.get("inProgress"),
                types.constructMapType(TreeMap.class, String.class, Long.class)));
        watermarks.putAll(JSON.convertValue(n.get("watermarks"),
                types.constructMapType(TreeMap.class, Integer.class, Long.class)));
    }
}
