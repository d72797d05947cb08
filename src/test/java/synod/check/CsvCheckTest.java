package synod.check;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** CsvCheck on small hand-written runs: what a correct system may print, and what it may not. */
class CsvCheckTest {
    static final String CSV = "Set Number,Transactions,Live Nodes\n"
            + "1,\"(A, B, 2)\",\"[n1, n2, n3]\"\n"
            + "2,\"(B, C, 1)\",\"[n1, n2, n3, n4]\"\n";
    static final String TEN = "A=10, B=10, C=10, D=10, E=10, F=10, G=10, H=10, I=10, J=10";
    static final String AFTER1 = "A=8, B=12, C=10, D=10, E=10, F=10, G=10, H=10, I=10, J=10";
    static final String AFTER2 = "A=8, B=11, C=11, D=10, E=10, F=10, G=10, H=10, I=10, J=10";

    static String run(String n4InSet2, String n5InSet2) {
        return "--- set 1 (live n1, n2, n3)\n(A, B, 2) committed\n"
                + "n1 : " + AFTER1 + "\nn2 : " + AFTER1 + "\nn3 : " + AFTER1 + "\nn4 : " + TEN + "\nn5 : " + TEN + "\n"
                + "--- set 2 (live n1, n2, n3, n4)\n(B, C, 1) committed\n"
                + "n1 : " + AFTER2 + "\nn2 : " + AFTER2 + "\nn3 : " + AFTER2 + "\nn4 : " + n4InSet2 + "\nn5 : " + n5InSet2 + "\n";
    }

    @Test
    void aCutOffNodeMayLagOrHaveAppliedNothingYet() {
        assertNull(CsvCheck.check(CSV, run(AFTER2, TEN)));
        assertNull(CsvCheck.check(CSV, run(AFTER2, "")), "n5, restarted while cut off, has applied nothing");
        assertNull(CsvCheck.check(CSV, run(AFTER2, "(not running)")));
    }

    @Test
    void aLiveNodeMustAgreeAndMoneyMustBeConserved() {
        String why = CsvCheck.check(CSV, run(AFTER1, TEN));
        assertTrue(why != null && why.contains("live nodes print different databases"), why);
        why = CsvCheck.check(CSV, run("", TEN));
        assertTrue(why != null && why.contains("live nodes print different databases"), why);
        why = CsvCheck.check(CSV, run(AFTER2, TEN.replace("J=10", "J=11")));
        assertTrue(why != null && why.contains("money not conserved"), why);
    }

    @Test
    void aTransferCountedTwiceIsCaught() {
        String twice = run(AFTER2, TEN).replace("(B, C, 1) committed", "(B, C, 1) committed\n(B, C, 1) committed");
        assertTrue(CsvCheck.check(CSV, twice) != null);
    }
}
