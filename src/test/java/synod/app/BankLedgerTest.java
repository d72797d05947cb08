package synod.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bank state machine and the Services wrapper that replicates it beside the locks. */
class BankLedgerTest {
    final BankLedger bank = new BankLedger();

    BankLedgerTest() {
        bank.apply(new Op.Open(List.of("A", "B", "C"), 10));
    }

    @Test
    void aTransferMovesMoneyOnlyIfTheSenderHasIt() {
        assertEquals(new Result.Committed(), bank.apply(new Op.Transfer("A", "B", 10)));
        assertEquals(new Result.Insufficient(), bank.apply(new Op.Transfer("A", "C", 1)));
        assertEquals(0L, bank.balance("A"));
        assertEquals(20L, bank.balance("B"));
        assertEquals(10L, bank.balance("C"));
    }

    @Test
    void unknownAccountsAndNegativeAmountsAbortAndChangeNothing() {
        assertEquals(new Result.Aborted("no account Z"), bank.apply(new Op.Transfer("A", "Z", 1)));
        assertEquals(new Result.Aborted("no account Z"), bank.apply(new Op.Transfer("Z", "A", 1)));
        assertEquals(new Result.Aborted("negative amount -1"), bank.apply(new Op.Transfer("A", "B", -1)));
        assertEquals(new Result.Aborted("no account Q"), bank.apply(new Op.Balance("Q")));
        assertEquals("A=10, B=10, C=10", bank.describe());
        assertNull(bank.balance("Z"));
    }

    @Test
    void accountsPrintInReadingOrderAndNumbersNumerically() {
        BankLedger numbered = new BankLedger();
        numbered.apply(new Op.Open(List.of("10", "9", "100", "1"), 5));
        assertEquals("1=5, 9=5, 10=5, 100=5", numbered.describe());
    }

    @Test
    void servicesRouteOpsAndCheckpointBothTogether() throws Exception {
        Services s = new Services();
        s.apply("x", new Op.Open(List.of("A", "B"), 7));
        s.apply("c1", new Op.Lock("0"));
        s.apply("x", new Op.Transfer("A", "B", 2));
        String json = new ObjectMapper().writeValueAsString(s.snapshot());
        Services copy = new Services();
        copy.restore(new ObjectMapper().readTree(json));
        assertEquals(s.snapshot(), copy.snapshot());
        assertEquals("A=5, B=9", copy.bank().describe());
        assertEquals("c1", copy.locks().holder("0"));
        assertEquals(new Result.Amount("B", 9), copy.apply("r", new Op.Balance("B")).result());
    }

    @Test
    void committedWritesAreModifiedUntilReopenedAndTheSetIsCheckpointed() throws Exception {
        assertEquals("", bank.describeModified());
        bank.apply(new Op.Transfer("A", "B", 3));
        bank.apply(new Op.Transfer("C", "A", 11)); // insufficient: nothing written
        bank.apply(new Op.Transfer("A", "Z", 1)); // aborted: nothing written
        assertEquals("A=7, B=13", bank.describeModified());
        bank.set("C", 4);
        assertEquals("A=7, B=13, C=4", bank.describeModified());
        bank.setModified("C", false); // an undone write
        assertEquals("A=7, B=13", bank.describeModified());

        Services s = new Services();
        s.apply("x", new Op.Open(List.of("1", "2", "10"), 10));
        s.apply("x", new Op.Transfer("10", "2", 1));
        Services copy = new Services();
        copy.restore(new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(s.snapshot())));
        assertEquals("2=11, 10=9", copy.bank().describeModified());
        copy.apply("x", new Op.Open(List.of("2"), 10));
        assertEquals("10=9", copy.bank().describeModified());
    }

    @Test
    void aCheckpointWrittenBeforeTheModifiedSetStillRestores() throws Exception {
        Services copy = new Services();
        copy.restore(new ObjectMapper().readTree("{\"locks\":{},\"bank\":{\"A\":4,\"B\":16}}"));
        assertEquals("A=4, B=16", copy.bank().describe());
        assertEquals("", copy.bank().describeModified());
    }
}
