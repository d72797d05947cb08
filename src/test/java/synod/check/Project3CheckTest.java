package synod.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Project3Check on a small hand-written file: a correct run is accepted, every doctored copy of it rejected. */
class Project3CheckTest {
    static final String ALL = "[n1, n2, n3, n4, n5, n6, n7, n8, n9]";
    static final String CSV = "Set Number,Transactions,Live Nodes\n"
            + "1,\"(1, 2, 3)\",\"" + ALL + "\"\n"
            + ",\"(2, 1, 5)\",\n"
            + ",\"(1, 3001, 4)\",\n"
            + ",(2),\n"
            + ",F(n2),\n"
            + ",F(n3),\n"
            + ",\"(3, 4, 1)\",\n"
            + ",(3001),\n"
            + "2,\"(3001, 3002, 11)\",\"[n1, n2, n4, n5, n6, n7, n8]\"\n"
            + ",\"(6001, 6002, 2)\",\n"
            + "3,\"(1, 3001, 2)\",\"[n1, n2, n3, n4, n7, n8, n9]\"\n"
            + ",\"(3001, 1, 2)\",\n"
            + ",-1,\n"
            + ",\"(6001,  6002, 1)\",\n";

    static final String RUN = String.join("\n",
            "--- set 1 (live n1, n2, n3, n4, n5, n6, n7, n8, n9)",
            "(1, 2, 3) committed",
            "(2, 1, 5) committed",
            "(1, 3001, 4) committed",
            "(2) = 8",
            "(3, 4, 1) aborted: group 1 has no majority",
            "(3001) = 14",
            "n1 : 1=8, 2=8",
            "n2 : (not running)",
            "n3 : (not running)",
            "n4 : 3001=14",
            "n5 : 3001=14",
            "n6 : 3001=14",
            "n7 : (none)",
            "n8 : (none)",
            "n9 : (none)",
            "NEW-VIEW ballot (2,1) from n1 slots 3..: no entries",
            "--- set 2 (live n1, n2, n4, n5, n6, n7, n8)",
            "(3001, 3002, 11) failed: insufficient balance",
            "(6001, 6002, 2) committed",
            "n1 : (none)",
            "n2 : (none)",
            "n3 : (none)",
            "n4 : (none)",
            "n5 : (none)",
            "n6 : (none)",
            "n7 : 6001=8, 6002=12",
            "n8 : 6001=8, 6002=12",
            "n9 : (none)",
            "--- set 3 (live n1, n2, n3, n4, n7, n8, n9)",
            "(1, 3001, 2) aborted: 2PC timeout: group 2 did not vote",
            "(3001, 1, 2) aborted: group 2 has no majority",
            "(1) = 10",
            "(6001, 6002, 1) committed",
            "n1 : (none)",
            "n2 : (none)",
            "n3 : (none)",
            "n4 : (none)",
            "n5 : (none)",
            "n6 : (none)",
            "n7 : 6001=9, 6002=11",
            "n8 : 6001=9, 6002=11",
            "n9 : 6001=9, 6002=11",
            "Performance: 7 transactions decided, 3.1 tx/s, latency mean 9.00 ms, p50 8.00 ms, p99 20.00 ms",
            "");

    static String check(String output) {
        return Project3Check.check(CSV, output, null);
    }

    static void rejected(String doctored, String because) {
        assertTrue(!doctored.equals(RUN), "the doctoring changed nothing");
        String why = check(doctored);
        assertNotNull(why, "accepted a wrong output");
        assertTrue(why.contains(because), why);
    }

    @Test
    void aCorrectRunIsAcceptedWhateverTheInterleaving() {
        assertNull(check(RUN));
        assertNull(check(RUN.replace("(2) = 8", "(2) = 5")), "client 2 may read before (1, 2, 3)");
        assertNull(check(RUN.replace("n1 : 1=8, 2=8", "n1 : 1=8")), "n1 alone in group 1 may lag");
        assertNull(check(RUN.replace("Performance: 7 transactions decided, 3.1 tx/s, latency mean 9.00 ms, p50 8.00 ms,"
                + " p99 20.00 ms\n", "")));
    }

    @Test
    void aCommittedTransferReportedAbortedIsRejected() {
        rejected(RUN.replace("(1, 2, 3) committed", "(1, 2, 3) aborted: timeout"), "must not be aborted");
        rejected(RUN.replace("(1, 3001, 4) committed", "(1, 3001, 4) aborted: 2PC timeout"), "must not be aborted");
    }

    @Test
    void aTransferThatMustAbortReportedOtherwiseIsRejected() {
        rejected(RUN.replace("(3, 4, 1) aborted: group 1 has no majority", "(3, 4, 1) committed"), "must be aborted");
        rejected(RUN.replace("(1, 3001, 2) aborted: 2PC timeout: group 2 did not vote", "(1, 3001, 2) committed"),
                "must be aborted");
        rejected(RUN.replace("(3001, 1, 2) aborted: group 2 has no majority", "(3001, 1, 2) aborted: "), "not a result");
    }

    @Test
    void outcomesNoInterleavingExplainsAreRejected() {
        rejected(RUN.replace("(2) = 8", "(2) = 7"), "no order");
        rejected(RUN.replace("(3001, 3002, 11) failed: insufficient balance", "(3001, 3002, 11) committed"), "no order");
        rejected(RUN.replace("(6001, 6002, 2) committed", "(6001, 6002, 2) failed: insufficient balance"), "no order");
        rejected(RUN.replace("(1) = 10", "(1) = 8"), "no order");
    }

    @Test
    void aDatabaseOffByOneOrMissingAnItemOrWithATraceIsRejected() {
        rejected(RUN.replace("n5 : 3001=14", "n5 : 3001=13"), "n5");
        rejected(RUN.replace("n5 : 3001=14", "n5 : (none)"), "n5");
        rejected(RUN.replace("n7 : 6001=8, 6002=12", "n7 : 6001=8, 6002=12, 6003=10"), "n7");
        rejected(RUN.replace("n8 : 6001=8, 6002=12", "n8 : 6002=12"), "n8");
        rejected(RUN.replace("n9 : 6001=9, 6002=11\n", "n9 : 6001=9, 6002=11\n").replace(
                "--- set 3 (live n1, n2, n3, n4, n7, n8, n9)\n(1, 3001, 2) aborted: 2PC timeout: group 2 did not vote\n"
                        + "(3001, 1, 2) aborted: group 2 has no majority\n(1) = 10\n(6001, 6002, 1) committed\nn1 : (none)",
                "--- set 3 (live n1, n2, n3, n4, n7, n8, n9)\n(1, 3001, 2) aborted: 2PC timeout: group 2 did not vote\n"
                        + "(3001, 1, 2) aborted: group 2 has no majority\n(1) = 10\n(6001, 6002, 1) committed\nn1 : 1=8"),
                "n1");
        rejected(RUN.replace("n2 : (not running)", "n2 : 1=8, 2=8"), "n2");
        rejected(RUN.replace("n6 : (none)\nn7 : 6001=8", "n6 : (not running)\nn7 : 6001=8"), "n6");
        rejected(RUN.replace("n4 : 3001=14", "n4 : 3001=14, 3001=14"), "n4");
    }

    @Test
    void missingExtraOrReorderedLinesAreRejected() {
        rejected(RUN.replace("n9 : (none)\nNEW-VIEW", "NEW-VIEW"), "n9");
        rejected(RUN.replace("(6001, 6002, 2) committed\n", ""), "not the result of (6001, 6002, 2)");
        rejected(RUN.replace("NEW-VIEW ballot (2,1) from n1 slots 3..: no entries", "hello"), "set 2");
        rejected(RUN.substring(0, RUN.indexOf("--- set 3")), "set 3");
        rejected(RUN + "extra\n", "unexpected after the last set");
        rejected(RUN.replace("(1, 2, 3) committed\n(2, 1, 5) committed", "(2, 1, 5) committed\n(1, 2, 3) committed"),
                "not the result of (1, 2, 3)");
    }

    @Test
    void theLayoutFollowsTheSetOrTheOptions() {
        assertEquals(5, Project3Check.layout("--seed 3 --layout 5x5")[0]);
        assertNull(Project3Check.layout("--seed 3"));
        String csv = "Set Number,Transactions,Live Nodes\n1,\"(1, 1801, 1)\",\"[n1, n2, n3, n6, n7, n8, n11]\"\n";
        StringBuilder out = new StringBuilder("--- set 1 (live n1, n2, n3, n6, n7, n8, n11)\n(1, 1801, 1) committed\n");
        for (int k = 1; k <= 25; k++) {
            String db = k <= 3 ? "1=9" : k >= 6 && k <= 8 ? "1801=11" : "(none)";
            out.append("n").append(k).append(" : ").append(db).append('\n');
        }
        assertNull(Project3Check.check(csv, out.toString(), null), "5 groups of 5: 1801 is in group 2");
        assertNotNull(Project3Check.check(csv, out.toString(), new int[] {3, 3}));
    }
}
