package synod.sim;

import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToIntFunction;
import synod.app.Op;
import synod.app.Result;
import synod.app.Services;
import synod.app.StateMachine;
import synod.txn.TxnEntry;
import synod.txn.TxnMsg;
import synod.txn.TxnStore;
import synod.txn.TxnTable;

/**
 * The ground truth of a simulated sharded bank, kept beside the cores and never by them. Each group
 * has its {@link ChosenLog} (what its acceptors durably chose) executed by a {@link GroupReference};
 * every op those references execute comes here, and is checked against an independent model: the
 * balances that the committed transfers alone give (intra-group transfers as they execute, a
 * transaction across groups at the moment its coordinator group's log decides COMMIT).
 *
 * <p>Invariants, checked after every executed op: each group decides a transaction once, and no
 * transaction commits in one group and aborts in another (atomicity); a coordinator commits only
 * once every participant group has executed a PREPARED record (its yes vote); a participant applies
 * a decision only after its coordinator group decided it; every item, counting the tentative write
 * of an undecided transaction by its undo image, holds what the model gives, so the sum of all
 * balances is constant (conservation); a read returns the model's value (never one of a transaction
 * that may still abort); a request has at most one final answer (exactly once), and a deferred
 * answer agrees with its coordinator's decision.
 */
final class TxnTruth implements GroupReference.Listener {

    /** A transaction across groups, as the references executed it: a transfer's, or a key-value transaction's. */
    private static final class Tx {
        final String txid;
        final Op.Transfer transfer;
        final Op.KvTxn kv;
        /** A resharding move's: the account leaves the coordinator group for {@code move.to()}. */
        final Op.Move move;
        final int coord;
        final TreeSet<Integer> parts;
        /** Per group, the decision its log executed (true: commit). */
        final TreeMap<Integer, Boolean> decided = new TreeMap<>();
        /** Groups whose log executed a PREPARED record: the yes votes. */
        final TreeSet<Integer> prepared = new TreeSet<>();

        Tx(String txid, Op op, int coord, java.util.Set<Integer> parts) {
            this.txid = txid;
            this.transfer = op instanceof Op.Transfer t ? t : null;
            this.kv = op instanceof Op.KvTxn k ? k : null;
            this.move = op instanceof Op.Move m ? m : null;
            this.coord = coord;
            this.parts = new TreeSet<>(parts);
        }

        Object op() {
            return transfer != null ? transfer : kv != null ? kv : move;
        }
    }

    /** What the transactions did, for the test's summary and its coverage guard. */
    record Counts(long began, long committed, long aborted, long timeouts, long busyAborts, long intraCommitted,
                  long insufficient, long refused, long busyAnswers, long reads, long busyReads,
                  TreeMap<String, Long> sent, KvModel.Counts kv, long moves, long redirects) {}

    private final TreeMap<Integer, GroupReference> refs = new TreeMap<>();
    private final TreeMap<Integer, ChosenLog> logs = new TreeMap<>();
    /** Where the items were placed at the start. */
    private final ToIntFunction<String> placed;
    /** Accounts moved since, and their group now: a move counts from its coordinator group's COMMIT. */
    private final TreeMap<String, Integer> moved = new TreeMap<>();
    /** Per request (client#seq), the groups that answered that another group holds its item. */
    private final TreeMap<String, TreeSet<Result>> elsewhere = new TreeMap<>();
    private long moves, redirects;
    private final long total;
    private final TreeMap<String, Long> model = new TreeMap<>();
    /** The key-value store as the committed writes alone give it. */
    private final KvModel kv;
    /** Per group whose accounts are open, which accounts. */
    private final TreeMap<Integer, List<String>> accounts = new TreeMap<>();
    private final TreeMap<String, Tx> txns = new TreeMap<>();
    /** Per request (client#seq), the transaction its latest execution began. */
    private final TreeMap<String, String> current = new TreeMap<>();
    private final TreeMap<String, Result> finals = new TreeMap<>();
    private final TreeSet<String> busy = new TreeSet<>();
    /** 2PC messages the nodes sent, per kind. */
    private final TreeMap<String, Long> sent = new TreeMap<>();
    private long committed, aborted, timeouts, busyAborts, intraCommitted, insufficient, refused, busyAnswers, reads,
            busyReads;

    /**
     * {@code groups} groups of {@code replicas} nodes; {@code placement}: the group an item lives in (0: none);
     * {@code total}: the money the accounts will be opened with; {@code clients}: everyone who sends requests.
     */
    TxnTruth(int groups, int replicas, ToIntFunction<String> placement, long total, List<String> clients) {
        this.placed = placement;
        this.total = total;
        this.kv = new KvModel(groups);
        for (int g = 1; g <= groups; g++) {
            GroupReference ref = new GroupReference(g, groups, clients, this);
            refs.put(g, ref);
            logs.put(g, new ChosenLog(replicas / 2 + 1, ref));
        }
    }

    ChosenLog log(int group) {
        return logs.get(group);
    }

    Counts counts() {
        return new Counts(txns.size(), committed, aborted, timeouts, busyAborts, intraCommitted, insufficient, refused,
                busyAnswers, reads, busyReads, sent, kv.counts(), moves, redirects);
    }

    /** The group that holds {@code item} now (0: none): where it was placed, unless a committed move took it. */
    int where(String item) {
        Integer m = moved.get(item);
        return m != null ? m : placed.applyAsInt(item);
    }

    /** A digest of what the references executed, for the determinism test. */
    long fingerprint() {
        long f = 17;
        for (ChosenLog log : logs.values()) {
            f = f * 31 + log.fingerprint();
        }
        return f;
    }

    // ---- what the references execute ----

    @Override
    public void executed(int g, String client, long seq, Op op, StateMachine.Applied a) {
        if (op instanceof Op.Txn t) {
            onEntry(g, t.entry());
        } else if (op instanceof Op.Open o) {
            accounts.put(g, o.accounts());
            o.accounts().forEach(acct -> model.put(acct, o.balance()));
        } else if (op instanceof Op.Transfer t) {
            onTransfer(g, client, seq, t, a.result());
        } else if (op instanceof Op.Move m) {
            if (a.result() == null) {
                TreeSet<Integer> others = new TreeSet<>(refs.keySet());
                others.remove(g);
                Sim.expect(where(m.account()) == g, "%s: a move coordinated by group %d, but it is in group %d", m, g,
                        where(m.account()));
                began(g, client, seq, m, others);
            }
        } else if (op instanceof Op.Balance b) {
            onRead(g, b, a.result());
        } else if (op instanceof Op.KvTxn t) {
            if (a.result() == null) {
                began(g, client, seq, t, kv.participants(t, g));
            } else {
                kv.onTxn(g, t, a.result());
            }
        } else if (op instanceof Op.Put || op instanceof Op.Get || op instanceof Op.Delete) {
            kv.onOne(g, op, a.result());
        }
        if (!(op instanceof Op.Txn) && a.result() != null) {
            answered(client, seq, a.result());
        }
        for (StateMachine.Completion c : a.completions()) {
            completed(c);
        }
        checkMoney();
    }

    private void onTransfer(int g, String client, long seq, Op.Transfer t, Result r) {
        String id = PaxosTruth.id(client, seq);
        if (r == null) { // a transaction across groups began here (or a retry found it running)
            // where this group believes the receiver is: a move it has not yet applied may have taken it
            int to = refs.get(g).services().placement().groupOf(t.to());
            Sim.expect(g == where(t.from()) && to != g, "%s: a transaction coordinated by group %d", t, g);
            began(g, client, seq, t, java.util.Set.of(to));
        } else if (r instanceof Result.Committed) {
            Long from = model.get(t.from());
            Sim.expect(from != null && model.containsKey(t.to()) && from >= t.amount()
                    && where(t.from()) == g && where(t.to()) == g,
                    "%s committed in group %d at once, but the model has %s: %s, %s: %s", t, g, t.from(), from, t.to(),
                    model.get(t.to()));
            move(t);
            intraCommitted++;
        } else if (r instanceof Result.Insufficient) {
            Long from = model.get(t.from());
            Sim.expect(from != null && from < t.amount(), "%s insufficient in group %d, but the model has %s: %s", t, g,
                    t.from(), from);
        } else if (r instanceof Result.Aborted ab) {
            noSuchAccount(ab.reason(), t);
        }
    }

    /** Request {@code client}#{@code seq} ({@code op}) runs as a transaction coordinated by {@code g} over groups {@code parts}. */
    private void began(int g, String client, long seq, Op op, java.util.Set<Integer> parts) {
        String id = PaxosTruth.id(client, seq);
        TxnTable.Coord mine = null;
        for (TxnTable.Coord c : refs.get(g).services().txns().coords().values()) {
            if (c.client().equals(client) && c.seq() == seq && !c.decided()) {
                Sim.expect(mine == null, "request %s runs as two transactions, %s and %s", id, mine, c);
                mine = c;
            }
        }
        Sim.expect(mine != null, "group %d deferred %s (%s) but runs no transaction for it", g, id, op);
        if (!txns.containsKey(mine.txid())) {
            Sim.expect(mine.remote().keySet().equals(parts), "%s: transaction %s coordinated by group %d writes groups"
                    + " %s, not %s", op, mine.txid(), g, mine.remote().keySet(), parts);
            txns.put(mine.txid(), new Tx(mine.txid(), op, g, parts));
            current.put(id, mine.txid());
        }
    }

    /** An abort for want of an account names one that is not open. */
    private void noSuchAccount(String reason, Object op) {
        if (reason.startsWith("no account ")) {
            String acct = reason.substring("no account ".length()).split(" ")[0];
            Sim.expect(!model.containsKey(acct), "%s aborted (%s), but %s is open", op, reason, acct);
        }
    }

    private void onRead(int g, Op.Balance b, Result r) {
        if (r instanceof Result.Amount a) {
            reads++;
            Sim.expect(Objects.equals(model.get(b.account()), a.balance()) && where(b.account()) == g,
                    "a read of %s in group %d returned %d, but the committed transfers give %s (a value of a"
                            + " transaction that may yet abort?)", b.account(), g, a.balance(), model.get(b.account()));
        } else if (r instanceof Result.Busy) {
            busyReads++;
        } else if (r instanceof Result.Aborted ab) {
            noSuchAccount(ab.reason(), b);
        }
    }

    private void onEntry(int g, TxnEntry e) {
        Tx tx = txns.get(e.txid());
        Sim.expect(tx != null, "group %d executed %s of a transaction no group began", g, e);
        TxnTable table = refs.get(g).services().txns();
        if (e instanceof TxnEntry.Prepare prep) {
            Sim.expect(tx.parts.contains(g), "group %d executed %s, but %s writes groups %s", g, e, tx.op(), tx.parts);
            TxnTable.Part p = table.part(tx.txid);
            if (p != null && p.state() == TxnTable.State.PREPARED) {
                tx.prepared.add(g);
            }
            if (tx.kv != null && p != null) {
                kv.onPrepare(g, prep, p);
            }
        } else if (e instanceof TxnEntry.Decide) {
            TxnTable.State s = g == tx.coord ? stateOf(table.coord(tx.txid)) : stateOf(table.part(tx.txid));
            if (s == TxnTable.State.COMMITTED || s == TxnTable.State.ABORTED) {
                decided(tx, g, s == TxnTable.State.COMMITTED);
            }
        }
    }

    private static TxnTable.State stateOf(TxnTable.Coord c) {
        return c == null ? null : c.state();
    }

    private static TxnTable.State stateOf(TxnTable.Part p) {
        return p == null ? null : p.state();
    }

    private void decided(Tx tx, int g, boolean commit) {
        Boolean had = tx.decided.put(g, commit);
        Sim.expect(had == null || had == commit, "group %d decided %s twice: %s, then %s", g, tx.txid, had, commit);
        Sim.expect(tx.decided.containsKey(tx.coord), "group %d applied %s for %s before its coordinator group %d"
                + " decided it", g, commit ? "COMMIT" : "ABORT", tx.txid, tx.coord);
        tx.decided.forEach((other, c) -> Sim.expect(c == commit, "atomicity: %s (%s) decided %s in group %d and %s in"
                + " group %d", tx.txid, tx.op(), c ? "COMMIT" : "ABORT", other, commit ? "COMMIT" : "ABORT", g));
        if (g == tx.coord && had == null && commit) {
            Sim.expect(tx.prepared.containsAll(tx.parts), "%s committed, but of groups %s only %s prepared it (a yes"
                    + " vote in the log)", tx.txid, tx.parts, tx.prepared);
            if (tx.kv != null) {
                kv.commit(tx.txid, tx.kv);
                return;
            }
            if (tx.move != null) {
                moveAccount(tx);
                return;
            }
            Long from = model.get(tx.transfer.from());
            Sim.expect(from != null && from >= tx.transfer.amount() && model.containsKey(tx.transfer.to()),
                    "%s (%s) committed, but the model has %s: %s", tx.txid, tx.transfer, tx.transfer.from(), from);
            move(tx.transfer);
        }
    }

    /** A move committed at its coordinator: the account, with its balance, is the destination's from now on. */
    private void moveAccount(Tx tx) {
        String acct = tx.move.account();
        Sim.expect(model.containsKey(acct) && accounts.get(tx.coord).contains(acct), "%s (%s) committed, but group %d"
                + " does not hold %s", tx.txid, tx.move, tx.coord, acct);
        List<String> from = new java.util.ArrayList<>(accounts.get(tx.coord));
        from.remove(acct);
        accounts.put(tx.coord, List.copyOf(from));
        List<String> to = new java.util.ArrayList<>(accounts.getOrDefault(tx.move.to(), List.of()));
        to.add(acct);
        accounts.put(tx.move.to(), List.copyOf(to));
        moved.put(acct, tx.move.to());
        moves++;
    }

    private void move(Op.Transfer t) {
        model.put(t.from(), model.get(t.from()) - t.amount());
        model.put(t.to(), model.get(t.to()) + t.amount());
    }

    /** A final (or busy) answer for {@code client}'s request {@code seq}: at most one final, ever. */
    private void answered(String client, long seq, Result r) {
        String id = PaxosTruth.id(client, seq);
        if (r instanceof Result.Busy) {
            busy.add(id);
            busyAnswers++;
            return;
        }
        if (r instanceof Result.Elsewhere e) {
            // not executed: the group's placement sends it on, and its client asks there, same number
            Sim.expect(e.group() != 0 && !finals.containsKey(id), "request %s answered %s after its final answer %s",
                    id, e, finals.get(id));
            elsewhere.computeIfAbsent(id, k -> new TreeSet<>(java.util.Comparator.comparing(Object::toString))).add(r);
            redirects++;
            return;
        }
        Result had = finals.putIfAbsent(id, r);
        Sim.expect(had == null, "request %s has two final answers: %s, then %s (executed twice)", id, had, r);
        if (r instanceof Result.Insufficient) {
            insufficient++;
        }
    }

    /** A deferred answer: the decision of the transaction the request began, as its client hears it. */
    private void completed(StateMachine.Completion c) {
        String id = PaxosTruth.id(c.client(), c.seq());
        Tx tx = txns.get(current.get(id));
        Sim.expect(tx != null && tx.decided.containsKey(tx.coord), "%s answered %s, but no transaction of it is decided",
                id, c.result());
        boolean commit = tx.decided.get(tx.coord);
        Sim.expect(commit == c.result() instanceof Result.Committed, "%s answered %s, but %s decided %s", id, c.result(),
                tx.txid, commit ? "COMMIT" : "ABORT");
        if (c.result() instanceof Result.Failed f) {
            kv.failedAnswer(tx.txid, f);
        }
        if (commit) {
            committed++;
        } else {
            aborted++;
            if (c.result() instanceof Result.Busy) {
                busyAborts++;
            } else if (c.result() instanceof Result.Aborted a && a.reason().startsWith("2PC timeout")) {
                timeouts++;
            } else {
                refused++;
            }
        }
        answered(c.client(), c.seq(), c.result());
    }

    /**
     * Every open item holds what the model gives, a tentative write of an undecided (or aborted)
     * transaction counted by its undo image; hence the sum is the money the accounts were opened with.
     */
    private void checkMoney() {
        long sum = 0;
        for (var e : accounts.entrySet()) {
            for (String acct : e.getValue()) {
                long v = committedValue(e.getKey(), acct);
                if (v != model.get(acct)) {
                    throw new Sim.SimFailure(String.format("%s in group %d holds %d (prepared writes counted by their"
                            + " undo images), but the committed transfers give %d; table %s", acct, e.getKey(), v,
                            model.get(acct), refs.get(e.getKey()).services().txns().snapshot()));
                }
                sum += v;
            }
        }
        Sim.expect(accounts.size() < refs.size() || sum == total,
                "conservation: the groups hold %d, counting prepared writes by their undo images, not %d", sum, total);
        for (var e : kv.keys().entrySet()) {
            String have = committedKey(e.getValue(), e.getKey());
            kv.checkStored(e.getValue(), e.getKey(), have);
        }
    }

    /** What {@code key} holds in group {@code g}, an undecided transaction's tentative write counted by its undo image. */
    private String committedKey(int g, String key) {
        Services s = refs.get(g).services();
        String holder = s.txns().lockHolder(key);
        Tx tx = holder == null ? null : txns.get(holder);
        if (holder == null || (tx != null && Boolean.TRUE.equals(tx.decided.get(tx.coord)))) {
            return s.kv().get(key);
        }
        List<TxnStore.Image> undo = g == TxnTable.coordinatorOf(holder) ? s.txns().coord(holder).undo()
                : s.txns().part(holder).undo();
        for (TxnStore.Image img : undo) {
            if (img.kv() && img.item().equals(key)) {
                return img.value(); // the first image of the key: what it held before the transaction
            }
        }
        throw new Sim.SimFailure(key + " in group " + g + " is locked by " + holder + " without an undo image");
    }

    private long committedValue(int g, String acct) {
        Services s = refs.get(g).services();
        long balance = s.bank().balance(acct);
        String holder = s.txns().lockHolder(acct);
        if (holder == null) {
            return balance;
        }
        Tx tx = txns.get(holder);
        if (tx != null && Boolean.TRUE.equals(tx.decided.get(tx.coord))) {
            return balance; // committed by its coordinator group: the tentative write stands
        }
        List<TxnStore.Image> undo = g == TxnTable.coordinatorOf(holder) ? s.txns().coord(holder).undo()
                : s.txns().part(holder).undo();
        for (TxnStore.Image img : undo) {
            if (img.item().equals(acct)) {
                return img.balance();
            }
        }
        throw new Sim.SimFailure(acct + " in group " + g + " is locked by " + holder + " without an undo image");
    }

    // ---- what nodes say ----

    /** A node answers {@code client}'s request {@code seq} with {@code r}: what the chosen order gave it. */
    void checkReply(String who, String client, long seq, Result r) {
        String id = PaxosTruth.id(client, seq);
        if (r instanceof Result.Busy) {
            Sim.expect(busy.contains(id), "%s answers %s busy, but no execution of it met a lock", who, id);
        } else if (r instanceof Result.Elsewhere) {
            Sim.expect(elsewhere.getOrDefault(id, new TreeSet<>(java.util.Comparator.comparing(Object::toString)))
                    .contains(r), "%s answers %s with %s, but no execution of it said so", who, id, r);
        } else {
            Sim.expect(r.equals(finals.get(id)), "%s answers %s with %s, but the chosen order gives %s", who, id, r,
                    finals.get(id));
        }
    }

    /** A node of group {@code g} sends {@code m}: only what its group's log holds. */
    void checkSent(String who, int g, TxnMsg m) {
        String txid = m instanceof TxnMsg.PrepareTxn p ? p.txid() : m instanceof TxnMsg.Vote v ? v.txid()
                : m instanceof TxnMsg.Decision d ? d.txid() : m instanceof TxnMsg.Ack a ? a.txid()
                : ((TxnMsg.Inquire) m).txid();
        Tx tx = txns.get(txid);
        Sim.expect(tx != null, "%s sends %s of a transaction no group began", who, m);
        sent.merge(m.getClass().getSimpleName(), 1L, Long::sum);
        if (m instanceof TxnMsg.Decision d) {
            Sim.expect(g == tx.coord && Objects.equals(tx.decided.get(g), d.commit()),
                    "%s sends %s, but group %d's log decided %s", who, m, g, tx.decided.get(g));
        } else if (m instanceof TxnMsg.Vote v && v.yes()) {
            Sim.expect(tx.prepared.contains(g), "%s votes yes (%s), but group %d's log never prepared it", who, m, g);
        } else if (m instanceof TxnMsg.Ack) {
            Sim.expect(tx.decided.containsKey(g), "%s acknowledges %s, but group %d's log never decided it", who, m, g);
        }
    }

    /** Quiet: every transaction is decided by its coordinator group, and every participant applied that decision. */
    void checkQuiet() {
        for (Tx tx : txns.values()) {
            Sim.expect(tx.decided.containsKey(tx.coord) && tx.decided.keySet().containsAll(tx.parts),
                    "quiet, but %s (%s) is decided only in groups %s", tx.txid, tx.op(), tx.decided);
        }
    }

    /** The final answer the chosen order gave {@code client}'s request {@code seq}, or null. */
    Result finalAnswer(String client, long seq) {
        return finals.get(PaxosTruth.id(client, seq));
    }
}
