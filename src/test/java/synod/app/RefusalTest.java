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

    @Test
    void aKeyValueTransactionTheStoreCannotApplyIsRefusedThereToo() {
        // what the edge refuses, should it reach a log anyway (written before the edge, say)
        Services s = new Services(1, 3);
        var before = s.snapshot();
        refused(s.apply("c", 1, new Op.KvTxn(List.of())).result(), "no steps");
        refused(s.apply("c", 2, new Op.KvTxn(null)).result(), "no steps");
        refused(s.apply("c", 3, new Op.KvTxn(java.util.Arrays.asList(new synod.txn.TxnOp.Put("g", "1"), null)))
                .result(), "not a put, del or expect");
        refused(s.apply("c", 4, new Op.KvTxn(List.of(new synod.txn.TxnOp.Debit("1", 5)))).result(),
                "not a put, del or expect");
        refused(s.apply("c", 5, new Op.KvTxn(List.of(new synod.txn.TxnOp.Put("g", "1"),
                new synod.txn.TxnOp.Delete("g")))).result(), "written twice");
        refused(s.apply("c", 6, new Op.KvTxn(List.of(new synod.txn.TxnOp.Put(null, "1")))).result(), "key is missing");
        refused(s.apply("c", 7, new Op.KvTxn(List.of(new synod.txn.TxnOp.Expect("g", null)))).result(),
                "value is missing");
        assertEquals(before, s.snapshot());
        assertEquals(0, s.txns().coords().size(), "no transaction began");
    }
}
