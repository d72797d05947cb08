package synod.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import synod.txn.Outcome;
import synod.txn.TxnOp;
import synod.txn.TxnStore;
import synod.txn.TxnTable;

/**
 * What a Multi-Paxos node replicates: the lock service, the bank and the key-value store side by
 * side, one log for all, plus, on a sharded cluster, where every item lives and the group's
 * two-phase-commit table. A transfer whose receiver lives in another group begins a transaction
 * that this group coordinates; its client's answer is deferred until the decision is executed.
 * The key-value store is sharded by a hash of the key ({@link KvShard}): a group holds the keys
 * that hash to it, and refuses the others; a transaction over keys of several groups is two-phase
 * commit coordinated by its first key's group, like a cross-group transfer. Each op goes to the
 * service it names; a checkpoint holds them all.
 */
public final class Services implements StateMachine {
    private final LockTable locks = new LockTable();
    private final BankLedger bank = new BankLedger();
    private final KvStore kv = new KvStore();
    private final Placement placement = new Placement();
    private final int group;
    private final int groups;
    private final TxnTable txns;
    private final TxnStore store = new Store();

    /** One group holding everything (or group 1 of a cluster that is told its placement later). */
    public Services() {
        this(1, 1);
    }

    /** The services of group {@code group} (1-based) of a cluster of {@code groups} groups. */
    public Services(int group, int groups) {
        if (group < 1 || group > groups) {
            throw new IllegalArgumentException("group " + group + " of " + groups);
        }
        this.group = group;
        this.groups = groups;
        this.txns = new TxnTable(group);
    }

    public LockTable locks() {
        return locks;
    }

    public BankLedger bank() {
        return bank;
    }

    public KvStore kv() {
        return kv;
    }

    public Placement placement() {
        return placement;
    }

    public TxnTable txns() {
        return txns;
    }

    @Override
    public Applied apply(String client, Op op) {
        return apply(client, 0, op);
    }

    @Override
    public Applied apply(String client, long seq, Op op) {
        if (OpCheck.missing(op) != null) {
            return new Applied(OpCheck.refusal("services", op), List.of()); // a refusal, never an exception
        }
        if (op instanceof Op.Lock || op instanceof Op.Unlock) {
            return locks.apply(client, op); // grants to waiters are notices for other clients
        }
        Result r = applyOne(client, seq, op);
        List<Completion> done = txns.takeCompletions().stream()
                .map(c -> new Completion(c.client(), c.seq(), result(c.outcome()))).toList();
        return new Applied(r, List.of(), done, txns.takeTouched());
    }

    private Result applyOne(String client, long seq, Op op) {
        if (op instanceof Op.Put || op instanceof Op.Get || op instanceof Op.Delete) {
            return kvOne(op);
        }
        if (op instanceof Op.KvTxn t) {
            return kvTxn(client, seq, t);
        }
        if (op instanceof Op.Place p) {
            return placement.apply(p);
        }
        if (op instanceof Op.Txn t) {
            txns.apply(t.entry(), store);
            return new Result.Ok();
        }
        if (op instanceof Op.Transfer t) {
            return transfer(client, seq, t);
        }
        if (op instanceof Op.Move m) {
            return move(client, seq, m);
        }
        if (op instanceof Op.Balance b) {
            Result busy = busy(b.account());
            if (busy != null) {
                return busy;
            }
            int home = placement.groupOf(b.account());
            if (placement.sharded() && home != 0 && home != group) {
                return new Result.Elsewhere(b.account(), home);
            }
        }
        return bank.apply(op);
    }

    /**
     * Within this group: one step, unless a transaction in progress holds either account. Across
     * groups: this group coordinates, preparing the debit here and asking the receiver's group.
     */
    private Result transfer(String client, long seq, Op.Transfer t) {
        if (placement.sharded()) {
            int from = placement.groupOf(t.from());
            int to = placement.groupOf(t.to());
            if (from != group) {
                Result busy = busy(t.from());
                return busy != null ? busy : from == 0 ? new Result.Aborted("no account " + t.from() + " in group " + group)
                        : new Result.Elsewhere(t.from(), from);
            }
            if (to == 0) {
                return new Result.Aborted("no account " + t.to());
            }
            if (to != group) {
                if (t.amount() < 0) {
                    return new Result.Aborted("negative amount " + t.amount());
                }
                Outcome o = txns.begin(client, seq, List.of(new TxnOp.Debit(t.from(), t.amount())),
                        Map.of(to, List.of(new TxnOp.Credit(t.to(), t.amount()))), store);
                return result(o);
            }
        }
        for (String item : List.of(t.from(), t.to())) {
            Result busy = busy(item);
            if (busy != null) {
                return busy;
            }
        }
        return bank.apply(t);
    }

    /**
     * Busy if a transaction in progress here holds {@code item}, else null. Asked before "it is
     * elsewhere": a group taking an account over holds it locked from its prepare to the decision,
     * while its placement still names the giver, and the giver, once it has decided, names the taker.
     * Answering "elsewhere" there would send a client back to the giver, whose recorded answer sends
     * it back here, until it gives up; busy has it retry here, where the decision makes the account
     * this group's.
     */
    private Result busy(String item) {
        String holder = txns.lockHolder(item);
        return holder == null ? null : new Result.Busy(item + " is locked by transaction " + holder);
    }

    /**
     * Resharding: this group gives {@code m.account()} up to group {@code m.to()}, by two-phase
     * commit that this group coordinates and every other group takes part in: the destination
     * takes the account over with the balance it has now (locked from here to the decision, so it
     * cannot change meanwhile), the others only learn where it goes. Every group's placement
     * changes at the one decision; a crash anywhere leaves the account in exactly one group.
     */
    private Result move(String client, long seq, Op.Move m) {
        int home = placement.groupOf(m.account());
        if (!placement.sharded() || home == 0) {
            return new Result.Aborted("no account " + m.account() + " to move");
        }
        if (home != group) {
            Result busy = busy(m.account());
            return busy != null ? busy : new Result.Elsewhere(m.account(), home);
        }
        if (m.to() < 1 || m.to() > groups || m.to() == group) {
            return new Result.Aborted("cannot move " + m.account() + " from group " + group + " to group " + m.to()
                    + " of 1.." + groups);
        }
        Long balance = bank.balance(m.account());
        if (balance == null) {
            return new Result.Aborted("no account " + m.account() + " in group " + group);
        }
        java.util.TreeMap<Integer, List<TxnOp>> remote = new java.util.TreeMap<>();
        for (int g = 1; g <= groups; g++) {
            if (g != group) {
                remote.put(g, List.of(g == m.to() ? new TxnOp.TakeOver(m.account(), balance, m.to())
                        : new TxnOp.Relocate(m.account(), m.to())));
            }
        }
        return result(txns.begin(client, seq, List.of(new TxnOp.GiveUp(m.account(), m.to())), remote, store));
    }

    /** The key an op of the key-value store names. */
    private static String keyOf(Op op) {
        return op instanceof Op.Put p ? p.key() : op instanceof Op.Get g ? g.key() : ((Op.Delete) op).key();
    }

    /** Why this group does not hold {@code key}, or null if it does. */
    private String elsewhere(String key) {
        int g = KvShard.groupOf(key, groups);
        return g == group ? null : "key " + key + " is in group " + g + ", not " + group;
    }

    /** A put, get or delete of one key: refused if another group holds it, busy while a transaction locks it. */
    private Result kvOne(Op op) {
        String key = keyOf(op);
        if (elsewhere(key) != null) {
            return new Result.Elsewhere(key, KvShard.groupOf(key, groups));
        }
        Result busy = busy(key);
        return busy != null ? busy : kv.apply(op);
    }

    /**
     * A key-value transaction: applied at once, one log entry, when this group holds every key;
     * otherwise this group coordinates two-phase commit with the groups holding the others.
     */
    private Result kvTxn(String client, long seq, Op.KvTxn t) {
        String bad = OpCheck.kvTxn(t);
        if (bad != null) {
            return new Result.Aborted(bad);
        }
        List<TxnOp> local = new java.util.ArrayList<>();
        java.util.TreeMap<Integer, List<TxnOp>> remote = new java.util.TreeMap<>();
        for (TxnOp step : t.steps()) {
            int g = KvShard.groupOf(step.item(), groups);
            if (g == group) {
                local.add(step);
            } else {
                remote.computeIfAbsent(g, k -> new java.util.ArrayList<>()).add(step);
            }
        }
        if (!remote.isEmpty()) {
            return result(txns.begin(client, seq, local, remote, store));
        }
        Outcome refused = txns.check(local, store);
        if (refused != null) {
            return result(refused);
        }
        txns.applyNow(local, store);
        return new Result.Committed();
    }

    /** A transaction's outcome as its client hears it; null while it is still running. */
    private static Result result(Outcome o) {
        return switch (o.kind()) {
            case PENDING -> null;
            case COMMITTED -> new Result.Committed();
            case INSUFFICIENT -> new Result.Insufficient();
            case BUSY -> new Result.Busy(o.reason());
            case ABORTED -> new Result.Aborted(o.reason());
            case FAILED -> new Result.Failed(o.reason());
        };
    }

    /** The bank's accounts and the store's keys as two-phase commit writes them. */
    private final class Store implements TxnStore {
        @Override
        public Refusal refusal(TxnOp op) {
            if (op.kv()) {
                return kvRefusal(op);
            }
            if (op.move()) {
                return moveRefusal(op);
            }
            int home = placement.groupOf(op.item());
            if (placement.sharded() && home != 0 && home != group) {
                // its coordinator sent this before it learnt of the move: it aborts, busy, and its
                // client retries, by when the coordinator's group has the move too (it takes part)
                return new Refusal(op.item() + " moved to group " + home, Outcome.Kind.BUSY);
            }
            Long have = bank.balance(op.item());
            if (have == null) {
                return new Refusal("no account " + op.item(), Outcome.Kind.ABORTED);
            }
            if (op instanceof TxnOp.Debit d && have < d.amount()) {
                return new Refusal("insufficient balance", Outcome.Kind.INSUFFICIENT);
            }
            return null;
        }

        /** A move's step: the giver must hold the account, the taker must not. */
        private Refusal moveRefusal(TxnOp op) {
            boolean here = bank.balance(op.item()) != null && placement.groupOf(op.item()) == group;
            if (op instanceof TxnOp.GiveUp && !here) {
                return new Refusal("no account " + op.item() + " in group " + group + " to give up", Outcome.Kind.ABORTED);
            }
            if (op instanceof TxnOp.TakeOver t && (t.to() != group || bank.balance(op.item()) != null)) {
                return new Refusal("group " + group + " cannot take " + op.item() + " over", Outcome.Kind.ABORTED);
            }
            if (op.movedTo() < 1 || op.movedTo() > groups) {
                return new Refusal("no group " + op.movedTo() + " to move " + op.item() + " to", Outcome.Kind.ABORTED);
            }
            return null;
        }

        private Refusal kvRefusal(TxnOp op) {
            String other = elsewhere(op.item());
            if (other != null) {
                return new Refusal(other, Outcome.Kind.ABORTED); // a peer's PREPARE for keys it misplaced
            }
            String have = kv.get(op.item());
            if (op instanceof TxnOp.Expect e && !e.value().equals(have)) {
                return new Refusal(KvGuard.is(op.item(), have), Outcome.Kind.FAILED);
            }
            if (op instanceof TxnOp.ExpectAbsent && have != null) {
                return new Refusal(KvGuard.is(op.item(), have), Outcome.Kind.FAILED);
            }
            return null;
        }

        @Override
        public Image apply(TxnOp op) {
            if (op.kv()) {
                Image before = Image.key(op.item(), kv.get(op.item()));
                if (op instanceof TxnOp.Put p) {
                    kv.set(p.item(), p.value());
                } else if (op instanceof TxnOp.Delete) {
                    kv.set(op.item(), null);
                }
                return before; // a guard changes nothing; its image puts back what is there
            }
            if (op instanceof TxnOp.TakeOver t) {
                bank.put(t.item(), t.balance()); // there, but locked until the decision
                return Image.moving(op, t.balance());
            }
            if (op instanceof TxnOp.GiveUp) {
                return Image.moving(op, bank.balance(op.item())); // the lock alone: the account stays until the commit
            }
            if (op.move()) {
                return Image.moving(op, 0); // a bystander's: the lock alone, on an item it does not hold
            }
            long have = bank.balance(op.item());
            long delta = op instanceof TxnOp.Debit d ? -d.amount() : ((TxnOp.Credit) op).amount();
            bank.put(op.item(), have + delta);
            return Image.account(op.item(), have);
        }

        @Override
        public void restore(Image image) {
            if (image.move() != null) {
                if (image.move() instanceof TxnOp.TakeOver) {
                    bank.remove(image.item()); // the move aborted: the account stays with its giver
                }
            } else if (image.kv()) {
                kv.set(image.item(), image.value());
            } else {
                bank.put(image.item(), image.balance());
            }
        }

        @Override
        public void committed(Image image) {
            if (image.move() != null) {
                placement.move(image.item(), image.move().movedTo());
                if (image.move() instanceof TxnOp.GiveUp) {
                    bank.remove(image.item());
                } else if (image.move() instanceof TxnOp.TakeOver) {
                    bank.setModified(image.item(), true); // written here by the move: PrintDB shows it
                }
            } else if (!image.kv()) {
                bank.setModified(image.item(), true); // a tentative write counts for PrintDB once it commits
            }
        }
    }

    @Override
    public JsonNode snapshot() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.set("locks", locks.snapshot());
        n.set("bank", bank.snapshot());
        n.set("kv", kv.snapshot());
        n.set("placement", placement.snapshot());
        n.set("txns", txns.snapshot());
        return n;
    }

    @Override
    public void restore(JsonNode snapshot) {
        locks.restore(snapshot.get("locks"));
        bank.restore(snapshot.get("bank"));
        kv.restore(snapshot.get("kv")); // absent in checkpoints written before the store existed
        placement.restore(snapshot.get("placement")); // absent before sharding
        txns.restore(snapshot.get("txns"));
    }
}
