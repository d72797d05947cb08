package synod.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CSE535 CSV reader and the irregularities of the published files it must tolerate. */
class CsvScriptTest {
    @Test
    void readsSetsContinuationRowsLfAndTheTolerances() {
        String csv = "Set Number,Transactions,Live Nodes\r\n"
                + "1,\"(A, J, 3)\",\"[n1, n2, n3, n4, n5]\"\r\n"
                + ",\"(C , D, 1)\",\r\n"
                + ",LF,\r\n"
                + ",\"(E, J, 2)\"\r\n"
                + "5,\"(C, B, 1)\",\"[n1,n2]\"\r\n";
        List<String> errors = new ArrayList<>();
        List<CsvScript.Set> sets = CsvScript.parse(csv, (line, msg) -> errors.add(line + ": " + msg));
        assertEquals(List.of(), errors);
        assertEquals(2, sets.size());
        assertEquals(List.of("n1", "n2", "n3", "n4", "n5"), sets.get(0).live());
        assertEquals(List.of("n1", "n2"), sets.get(1).live());
        List<CsvScript.Item> items = sets.get(0).items();
        assertEquals("(A, J, 3)", items.get(0).text());
        assertEquals("(C, D, 1)", items.get(1).text());
        assertTrue(items.get(2).leaderFails());
        assertEquals("(E, J, 2)", items.get(3).text());
        assertEquals(5, items.get(3).line());
        assertEquals(5, sets.get(1).number());
    }

    @Test
    void aBadRowIsReportedWithItsLineAndSkipped() {
        List<String> errors = new ArrayList<>();
        List<CsvScript.Set> sets = CsvScript.parse("1,\"(A, B, x)\",\"[n1]\"\n,\"(A, B, 2)\",\n,hello,\n",
                (line, msg) -> errors.add(line + ": " + msg));
        assertEquals(2, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("1: "), errors.toString());
        assertTrue(errors.get(1).startsWith("3: "), errors.toString());
        assertEquals(1, sets.get(0).items().size());
    }

    @Test
    void readsProject3RowsReadsFailuresRecoveriesAndTheMinusArtefact() {
        String csv = "Set Number,Transactions,Live Nodes\n"
                + "1,\"(1001, 1002, 1)\",\"[n1, n2, n3, n4, n5, n6, n7, n8, n9]\"\n"
                + ",(1002),\n"
                + ",-3002,\n"
                + ",F(n2),\n"
                + ",\"(163,  164, 1)\",\n"
                + ",R(n12),\n";
        List<String> errors = new ArrayList<>();
        List<CsvScript.Set> sets = CsvScript.parse(csv, (line, msg) -> errors.add(line + ": " + msg));
        assertEquals(List.of(), errors);
        List<CsvScript.Item> items = sets.get(0).items();
        assertEquals(List.of("(1001, 1002, 1)", "(1002)", "(3002)", "F(n2)", "(163, 164, 1)", "R(n12)"),
                items.stream().map(CsvScript.Item::text).toList());
        assertEquals(CsvScript.Kind.READ, items.get(2).kind());
        assertEquals("3002", items.get(2).from());
        assertTrue(items.get(3).barrier() && items.get(5).barrier() && !items.get(1).barrier());
        assertEquals("n12", items.get(5).node());
        assertTrue(CsvScript.project3(sets));
    }

    @Test
    void project1FilesAreNotProject3() {
        List<CsvScript.Set> p1 = CsvScript.parse("1,\"(A, J, 3)\",\"[n1, n2, n3, n4, n5]\"\n,LF,\n", (l, m) -> { });
        assertTrue(!CsvScript.project3(p1));
        List<CsvScript.Set> big = CsvScript.parse("1,\"(1, 3001, 3)\",\"[n1, n6]\"\n", (l, m) -> { });
        assertTrue(CsvScript.project3(big), "numeric items and a node beyond n5");
        List<CsvScript.Set> letters = CsvScript.parse("1,\"(A, J, 3)\",\"[n1, n6]\"\n", (l, m) -> { });
        assertTrue(!CsvScript.project3(letters), "clients A..J are Project 1's; n6 is the file's error");
    }
}
