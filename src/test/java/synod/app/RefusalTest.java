package synod.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An op a state machine cannot apply (a field missing, an op of another service, no op at all) is
 * a refusal result, the same on every replica, and changes nothing: never an exception, which
 * would kill every replica that applies the entry, and again at every restart while it replays.
 */
class RefusalTest {
    static void refused(Result r, String reason) {
        assertTrue(r instanceof Result.Aborted a && a.reason().contains(reason), "expected a refusal naming '"
                + reason + "', got " + r);
    }

    @Test
    void theKeyValueStoreRefusesMissingKeysAndValues() {
        KvStore kv = new KvStore();
        refused(kv.apply(new Op.Put(null, "v")), "key is missing");
        refused(kv.apply(new Op.Put("k", null)), "value is missing");
        refused(kv.apply(new Op.Get(null)), "key is missing");
        refused(kv.apply(new Op.Delete(null)), "key is missing");
        refused(kv.apply(new Op.Lock("x")), "cannot apply");
        refused(kv.apply(null), "no op");
        assertEquals(0, kv.size());
    }

    @Test
    void theLockServiceRefusesMissingNamesAndClients() {
        LockTable t = new LockTable();
        refused(t.apply("c", new Op.Lock(null)).result(), "lock name is missing");
        refused(t.apply("c", new Op.Unlock(null)).result(), "lock name is missing");
        refused(t.apply(null, new Op.Lock("x")).result(), "client is missing");
        refused(t.apply("c", new Op.Put("k", "v")).result(), "cannot apply");
        refused(t.apply("c", null).result(), "no op");
        assertEquals(new LockTable().snapshot(), t.snapshot());
    }

    @Test
    void theBankRefusesMissingAccounts() {
        BankLedger bank = new BankLedger();
        bank.apply(new Op.Open(List.of("A"), 5));
        refused(bank.apply(new Op.Transfer(null, "A", 1)), "account is missing");
        refused(bank.apply(new Op.Transfer("A", null, 1)), "account is missing");
        refused(bank.apply(new Op.Balance(null)), "account is missing");
        refused(bank.apply(new Op.Get("k")), "cannot apply");
        refused(bank.apply(null), "no op");
        assertEquals("A=5", bank.describe());
    }

    @Test
    void servicesRefuseWhatNoServiceCanApply() {
        Services s = new Services();
        var before = s.snapshot();
        refused(s.apply("c", null).result(), "no op");
        refused(s.apply("c", new Op.Put(null, "v")).result(), "key is missing");
        refused(s.apply("c", new Op.Lock(null)).result(), "lock name is missing");
        refused(s.apply("c", new Op.Transfer("A", null, 1)).result(), "account is missing");
        refused(s.apply("c", new Op.Place(List.of(new Op.Range(null, "9", 1)))).result(), "range is missing");
        assertEquals(before, s.snapshot());
    }
}
