package synod.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What a Multi-Paxos node replicates: the lock service, the bank and the key-value store side by
 * side, one log for all three.
 * Each op goes to the service it names; a checkpoint holds both.
 */
public final class Services implements StateMachine {
    private final LockTable locks = new LockTable();
    private final BankLedger bank = new BankLedger();
    private final KvStore kv = new KvStore();
    private final Placement placement = new Placement();

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

    @Override
    public Applied apply(String client, Op op) {
        if (OpCheck.missing(op) != null) {
            return new Applied(OpCheck.refusal("services", op), List.of()); // a refusal, never an exception
        }
        if (op instanceof Op.Lock || op instanceof Op.Unlock) {
            return locks.apply(client, op);
        }
        if (op instanceof Op.Put || op instanceof Op.Get || op instanceof Op.Delete) {
            return new Applied(kv.apply(op), List.of());
        }
        if (op instanceof Op.Place p) {
            return new Applied(placement.apply(p), List.of());
        }
        return new Applied(bank.apply(op), List.of());
    }

    @Override
    public JsonNode snapshot() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.set("locks", locks.snapshot());
        n.set("bank", bank.snapshot());
        n.set("kv", kv.snapshot());
        n.set("placement", placement.snapshot());
        return n;
    }

    @Override
    public void restore(JsonNode snapshot) {
        locks.restore(snapshot.get("locks"));
        bank.restore(snapshot.get("bank"));
        kv.restore(snapshot.get("kv")); // absent in checkpoints written before the store existed
        placement.restore(snapshot.get("placement")); // absent before sharding
    }
}
