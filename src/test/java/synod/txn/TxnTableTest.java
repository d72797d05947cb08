package synod.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The transaction table alone, stepped entry by entry over a map of balances. */
class TxnTableTest {
    private final TreeMap<String, Long> balances = new TreeMap<>(Map.of("1", 10L, "3001", 10L));
    private final TxnStore store = new TxnStore() {
        @Override
        public Refusal refusal(TxnOp op) {
            Long have = balances.get(op.item());
            if (have == null) {
                return new Refusal("no account " + op.item(), Outcome.Kind.ABORTED);
            }
            return op instanceof TxnOp.Debit d && have < d.amount() ? new Refusal("insufficient balance", Outcome.Kind.INSUFFICIENT) : null;
        }

        @Override
        public Image apply(TxnOp op) {
            long have = balances.get(op.item());
            balances.put(op.item(), have + (op instanceof TxnOp.Debit d ? -d.amount() : ((TxnOp.Credit) op).amount()));
            return Image.account(op.item(), have);
        }

        @Override
        public void restore(Image image) {
            balances.put(image.item(), image.balance());
        }

        @Override
        public void committed(Image image) {}
    };

    @Test
    void aLatePrepareOfATransactionAbortedBeforeItArrivedIsRefused() {
        TxnTable p = new TxnTable(2);
        p.apply(new TxnEntry.Decide("1.5", false, null, 0), store); // the coordinator timed out first
        p.apply(new TxnEntry.Prepare("1.5", List.of(new TxnOp.Credit("3001", 3)), 0), store);
        assertEquals(TxnTable.State.ABORTED, p.part("1.5").state());
        assertNull(p.lockHolder("3001"));
        assertEquals(10, balances.get("3001"));
    }

    @Test
    void anAbortAtTheParticipantPutsItsImagesBack() {
        TxnTable p = new TxnTable(2);
        p.apply(new TxnEntry.Prepare("1.1", List.of(new TxnOp.Credit("3001", 3)), 0), store);
        assertEquals("1.1", p.lockHolder("3001"));
        assertEquals(13, balances.get("3001"));
        p.apply(new TxnEntry.Decide("1.1", false, null, 0), store);
        assertEquals(10, balances.get("3001"));
        assertNull(p.lockHolder("3001"));
    }

    @Test
    void theWatermarkIsTheOldestRunningTransactionByNumberNotByText() {
        TxnTable c = new TxnTable(1);
        for (int i = 1; i <= 10; i++) {
            balances.put("a" + i, 10L);
            c.begin("c" + i, 1, List.of(new TxnOp.Debit("a" + i, 1)), Map.of(2, List.of()), store);
        }
        assertEquals(1, c.watermark());
        for (int i = 1; i <= 8; i++) {
            c.apply(new TxnEntry.Decide("1." + i, true, Outcome.COMMITTED, 0), store);
            c.apply(new TxnEntry.Ack("1." + i, 2), store);
        }
        assertEquals(9, c.watermark(), "1.9 is the oldest still running, though \"1.10\" sorts first as text");
    }

    @Test
    void watermarksForgetFinishedParticipantRecordsAndRefuseTheirPrepares() {
        TxnTable p = new TxnTable(2);
        p.apply(new TxnEntry.Prepare("1.1", List.of(new TxnOp.Credit("3001", 1)), 1), store);
        p.apply(new TxnEntry.Decide("1.1", true, null, 1), store);
        p.apply(new TxnEntry.Prepare("1.2", List.of(new TxnOp.Credit("3001", 1)), 2), store);
        assertNull(p.part("1.1"), "below the coordinator's watermark: over everywhere");
        p.apply(new TxnEntry.Prepare("1.1", List.of(new TxnOp.Credit("3001", 1)), 1), store);
        assertNull(p.part("1.1"), "a stale duplicate of a forgotten transaction changes nothing");
        assertEquals(12, balances.get("3001"));
    }
    @Test
    void aRisingWatermarkForgetsOnlyItsCoordinatorsFinishedRecordsBelowIt() {
        TxnTable p = new TxnTable(2);
        for (String txid : List.of("1.9", "1.10", "1.11", "3.2")) {
            p.apply(new TxnEntry.Prepare(txid, List.of(), 0), store);
            p.apply(new TxnEntry.Decide(txid, true, null, 0), store);
        }
        p.apply(new TxnEntry.Prepare("1.3", List.of(new TxnOp.Credit("3001", 1)), 0), store); // prepared, undecided
        p.apply(new TxnEntry.Prepare("1.12", List.of(), 11), store); // group 1's watermark rises to 11
        assertNull(p.part("1.9"));
        assertNull(p.part("1.10"), "10 < 11 by number, though \"1.10\" < \"1.11\" holds as text too");
        assertEquals(TxnTable.State.COMMITTED, p.part("1.11").state(), "at the watermark: not over yet");
        assertEquals(TxnTable.State.PREPARED, p.part("1.3").state(), "a prepared record waits for its decision");
        assertEquals(TxnTable.State.COMMITTED, p.part("3.2").state(), "another coordinator's watermark");
    }

    @Test
    void transactionIdsParseByNumber() {
        assertEquals(12, TxnTable.coordinatorOf("12.345"));
        assertEquals(345, TxnTable.number("12.345"));
        assertTrue(TxnTable.ORDER.compare("1.9", "1.10") < 0);
        assertTrue(TxnTable.ORDER.compare("2.1", "1.10") > 0);
    }
}
