package synod.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a node of group 2 lets through of other nodes' 2PC messages. */
class TxnCheckTest {
    private static final List<List<String>> LAYOUT =
            List.of(List.of("n1", "n2", "n3"), List.of("n4", "n5", "n6"), List.of("n7", "n8", "n9"));

    private static String check(TxnMsg m, String from) {
        return TxnCheck.problem(m, from, LAYOUT, 2);
    }

    private static final List<TxnOp> CREDIT = List.of(new TxnOp.Credit("3001", 1));

    @Test
    void wellFormedMessagesPass() {
        assertNull(check(new TxnMsg.PrepareTxn("1.7", 1, CREDIT, 3), "n1"));
        assertNull(check(new TxnMsg.Decision("3.2", 3, true, 1), "n9"));
        assertNull(check(new TxnMsg.Vote("2.4", 1, true, null), "n2"));
        assertNull(check(new TxnMsg.Vote("2.4", 3, false, Outcome.busy("6001 is locked")), "n8"));
        assertNull(check(new TxnMsg.Ack("2.4", 1), "n3"));
        assertNull(check(new TxnMsg.Inquire("2.9", 3), "n7"));
    }

    @Test
    void aNodeSpeakingForAnotherGroupOrForItsOwnIsRefused() {
        assertNotNull(check(new TxnMsg.PrepareTxn("1.7", 1, CREDIT, 3), "n7"));
        assertNotNull(check(new TxnMsg.PrepareTxn("2.7", 2, CREDIT, 3), "n4"));
        assertNotNull(check(new TxnMsg.PrepareTxn("1.7", 4, CREDIT, 3), "n1"));
        assertNotNull(check(new TxnMsg.PrepareTxn("3.7", 1, CREDIT, 3), "n1"), "group 1 prepares only its own transactions");
        assertNotNull(check(new TxnMsg.Ack("1.4", 1), "n1"), "acknowledges only to the coordinator");
    }

    @Test
    void malformedFieldsAreRefused() {
        assertNotNull(check(new TxnMsg.PrepareTxn(null, 1, CREDIT, 3), "n1"));
        assertNotNull(check(new TxnMsg.PrepareTxn("1.x", 1, CREDIT, 3), "n1"));
        assertNotNull(check(new TxnMsg.PrepareTxn("1.99999999999999999", 1, CREDIT, 3), "n1"));
        assertNotNull(check(new TxnMsg.PrepareTxn("1.7", 1, List.of(), 3), "n1"));
        assertNotNull(check(new TxnMsg.PrepareTxn("1.7", 1, List.of(new TxnOp.Credit(null, 1)), 3), "n1"));
        assertNotNull(check(new TxnMsg.PrepareTxn("1.7", 1, List.of(new TxnOp.Credit("\ud800", 1)), 3), "n1"));
        assertNotNull(check(new TxnMsg.PrepareTxn("1.7", 1, List.of(new TxnOp.Debit("1", -1)), 3), "n1"));
        assertNotNull(check(new TxnMsg.PrepareTxn("1.7", 1, CREDIT, -1), "n1"));
        assertNotNull(check(new TxnMsg.Vote("2.4", 1, false, null), "n1"));
        assertNotNull(check(new TxnMsg.Vote("2.4", 1, false, Outcome.COMMITTED), "n1"));
        assertEquals("no message", check(null, "n1"));
    }
}
