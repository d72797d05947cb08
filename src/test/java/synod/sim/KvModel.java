package synod.sim;

import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import synod.app.KvGuard;
import synod.app.KvShard;
import synod.app.Op;
import synod.app.Result;
import synod.txn.Outcome;
import synod.txn.TxnEntry;
import synod.txn.TxnOp;
import synod.txn.TxnTable;

/**
 * The key-value half of {@link TxnTruth}: the store as the committed writes alone give it (a put or
 * delete of one key as it executes, a transaction of one group's keys as it executes, a transaction
 * across groups at the moment its coordinator group's log decides COMMIT), checked against what
 * the references execute.
 *
 * <p>Invariants: a key is served only by its group; a read returns the model's value (never a write
 * that may still be undone); a transaction commits only if every guard holds in the committed state
 * at its commit point, and a participant prepares only if its guards hold there (guards are
 * evaluated against committed state, never a tentative write); a guard failure names a guard that
 * does not hold; every key, an undecided transaction's tentative write counted by its undo image,
 * holds the model's value.
 */
final class KvModel {
    /** What the store's operations did, for the test's summary and its coverage guard. */
    record Counts(long committedAcross, long committedAlone, long failed, long busy, long reads, long prepared) {}

    private final int groups;
    private final TreeMap<String, String> values = new TreeMap<>();
    /** Every key seen, and its group. */
    private final TreeMap<String, Integer> keys = new TreeMap<>();
    /** Participant records already checked, "txid@group". */
    private final TreeSet<String> checked = new TreeSet<>();
    private long committedAcross, committedAlone, failed, busy, reads, prepared;

    KvModel(int groups) {
        this.groups = groups;
    }

    Counts counts() {
        return new Counts(committedAcross, committedAlone, failed, busy, reads, prepared);
    }

    TreeMap<String, Integer> keys() {
        return keys;
    }

    private int home(String key) {
        return keys.computeIfAbsent(key, k -> KvShard.groupOf(k, groups));
    }

    /** The groups other than {@code coord} that hold a key of {@code t}: its participants. */
    java.util.Set<Integer> participants(Op.KvTxn t, int coord) {
        TreeSet<Integer> parts = new TreeSet<>();
        t.steps().forEach(s -> parts.add(home(s.item())));
        parts.remove(coord);
        return parts;
    }

    /** A put, get or delete of one key executed in group {@code g}, answering {@code r}. */
    void onOne(int g, Op op, Result r) {
        String key = op instanceof Op.Put p ? p.key() : op instanceof Op.Get x ? x.key() : ((Op.Delete) op).key();
        Sim.expect(home(key) == g || r instanceof Result.Elsewhere, "group %d served %s of key %s, which is group %d's",
                g, op, key, home(key));
        Sim.expect(!(r instanceof Result.Elsewhere), "%s went to group %d, not %d", op, g, home(key));
        if (r instanceof Result.Busy) {
            busy++;
            return;
        }
        String had = values.get(key);
        if (op instanceof Op.Put p) {
            Sim.expect(r instanceof Result.Ok, "%s answered %s", op, r);
            values.put(key, p.value());
        } else if (op instanceof Op.Get) {
            reads++;
            Sim.expect(had == null ? r.equals(new Result.NotFound(key)) : r.equals(new Result.Value(key, had)),
                    "a read of %s in group %d returned %s, but the committed writes give %s (a write that may yet"
                            + " abort?)", key, g, r, had);
        } else {
            Sim.expect(had == null ? r.equals(new Result.NotFound(key)) : r instanceof Result.Ok,
                    "%s answered %s, but the committed writes give %s", op, r, had);
            values.remove(key);
        }
    }

    /** Group {@code g} executed {@code t} and answered at once: one group's transaction, or refused before 2PC. */
    void onTxn(int g, Op.KvTxn t, Result r) {
        if (r instanceof Result.Busy) {
            busy++;
            return;
        }
        if (r instanceof Result.Failed f) {
            failed++;
            expectFailure(g, t.steps(), f.reason());
            return;
        }
        Sim.expect(r instanceof Result.Committed, "%s in group %d answered %s", t, g, r);
        for (TxnOp s : t.steps()) {
            Sim.expect(home(s.item()) == g, "%s committed at once in group %d, but %s is group %d's", t, g, s.item(),
                    home(s.item()));
        }
        expectGuardsHold(t.steps(), "committed at once in group " + g);
        apply(t.steps());
        committedAlone++;
    }

    /** A participant's record, right after its Prepare entry executed for the first time: prepared or refused. */
    void onPrepare(int g, TxnEntry.Prepare prep, TxnTable.Part p) {
        boolean fresh = p.state() == TxnTable.State.PREPARED || p.state() == TxnTable.State.REFUSED;
        if (!fresh || !checked.add(prep.txid() + "@" + g)) {
            return;
        }
        if (p.state() == TxnTable.State.PREPARED) {
            prepared++;
            expectGuardsHold(prep.writes(), "prepared in group " + g);
        } else if (p.vote().kind() == Outcome.Kind.FAILED) {
            expectFailure(g, prep.writes(), p.vote().reason());
        }
    }

    /** The coordinator group's log decided COMMIT for {@code t}: every guard holds now, and the writes take effect. */
    void commit(String txid, Op.KvTxn t) {
        expectGuardsHold(t.steps(), txid + " committed");
        apply(t.steps());
        committedAcross++;
    }

    /** A transaction across groups answered that a guard failed: it names one of its guards. */
    void failedAnswer(String txid, Result.Failed f) {
        failed++;
        Sim.expect(f.reason().contains(" is "), "%s failed with %s, which names no guard", txid, f.reason());
    }

    /** What group {@code g} holds under {@code key}, tentative writes counted by their undo images. */
    void checkStored(int g, String key, String have) {
        Sim.expect(Objects.equals(have, values.get(key)), "%s in group %d holds %s (prepared writes counted by their"
                + " undo images), but the committed writes give %s", key, g, have, values.get(key));
    }

    private void apply(List<TxnOp> steps) {
        for (TxnOp s : steps) {
            if (s instanceof TxnOp.Put p) {
                values.put(p.item(), p.value());
            } else if (s instanceof TxnOp.Delete) {
                values.remove(s.item());
            }
        }
    }

    private void expectGuardsHold(List<TxnOp> steps, String what) {
        for (TxnOp s : steps) {
            home(s.item());
            String had = values.get(s.item());
            Sim.expect(!(s instanceof TxnOp.Expect e && !e.value().equals(had))
                    && !(s instanceof TxnOp.ExpectAbsent && had != null),
                    "%s %s, but the committed state has %s = %s", steps, what, s.item(), had);
        }
    }

    /** A guard among {@code steps} of group {@code g} does not hold, and {@code reason} is the one it gives. */
    private void expectFailure(int g, List<TxnOp> steps, String reason) {
        for (TxnOp s : steps) {
            String had = values.get(s.item());
            boolean fails = (s instanceof TxnOp.Expect e && !e.value().equals(had))
                    || (s instanceof TxnOp.ExpectAbsent && had != null);
            if (fails && home(s.item()) == g && reason.equals(KvGuard.is(s.item(), had))) {
                return;
            }
        }
        throw new Sim.SimFailure(String.format("group %d refused %s (%s), but no guard of its fails so in the committed"
                + " state %s", g, steps, reason, values));
    }
}
