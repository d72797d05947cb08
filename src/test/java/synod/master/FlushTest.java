package synod.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import synod.app.Op;
import synod.app.Result;

/**
 * A CSE535 FLUSH that keeps the node JVMs ({@link PaxosCluster#flush}), on real nodes: two groups
 * of three, a cross-group transfer committed, one node killed; after the FLUSH the five nodes that
 * were up run on in the same processes and the killed one in a new process, every one of them with
 * nothing in its log though transfers were in flight as the FLUSH began, and the new cluster
 * executes the same client's request number 1 again (had
 * any state of the old cluster survived, that number would get its recorded answer instead). Then
 * the same JVMs as three groups of two, and two groups of two (the two left over are stopped).
 */
@Tag("end-to-end")
class FlushTest extends LiveClusterTest {
    static final long MILLIS = 30_000;
    static final List<String> ITEMS = List.of("1", "2", "3", "4");


    @Test
    void aFlushResetsTheNodesThatAreUpInTheirJvmsAndStartsTheOthersAnew() throws Exception {
        open(13);
        cluster.start(2, 3);
        transferOnce(5);
        cluster.kill("n2");
        Map<String, Long> before = pids();
        // In flight as the FLUSH begins: their Accepts, votes and decisions race the Freeze, and not
        // one of them may reach the new cluster (the master forgets the requests themselves).
        for (int c = 1; c <= 40; c++) {
            cluster.submit("burst" + c, 1, new Op.Transfer(c % 2 == 0 ? "2" : "4", c % 2 == 0 ? "3" : "1", 1),
                    cluster.groupOfItem(c % 2 == 0 ? "2" : "4"));
        }

        cluster.flush(2, 3);

        TreeMap<String, Long> after = pids();
        for (String n : List.of("n1", "n3", "n4", "n5", "n6")) {
            assertEquals(before.get(n), after.get(n), n + " was up: reset in its own JVM");
        }
        assertNotEquals(before.get("n2"), after.get("n2"), "n2 was killed: started anew");
        assertFalse(ProcessHandle.of(before.get("n2")).map(ProcessHandle::isAlive).orElse(false));
        assertFresh(6);
        transferOnce(7);

        cluster.flush(3, 2); // a CSE535 file may change the layout between sets: the same JVMs, regrouped
        assertEquals(after, pids());
        assertEquals(List.of("n3", "n4"), cluster.group(2));
        assertFresh(6);
        transferOnce(9);

        cluster.flush(2, 2); // fewer nodes: n5 and n6 go
        assertEquals(after.headMap("n5"), pids().headMap("n5"));
        for (String n : List.of("n5", "n6")) {
            assertFalse(ProcessHandle.of(after.get(n)).map(ProcessHandle::isAlive).orElse(false), n + " still runs");
        }
        assertFresh(4);
        transferOnce(11);
    }

    /** n1..nN answer, with nothing applied or accepted. */
    private void assertFresh(int n) {
        for (int k = 1; k <= n; k++) {
            List<String> info = cluster.query("n" + k, "info", 0, MILLIS);
            assertNotNull(info, "n" + k + " does not answer");
            assertEquals("0", info.get(3), "n" + k + ": nothing applied after the FLUSH");
            assertEquals("-1", info.get(5), "n" + k + ": nothing accepted after the FLUSH");
        }
    }

    /** Opens the items with 100 and has c1's request 1 move {@code amount} from 1 to 3 (across the groups). */
    private void transferOnce(long amount) throws Exception {
        assertInstanceOf(Result.Opened.class, Shards.run(cluster, "opener", Shards.plan(cluster, 1, ITEMS, 100))
                .get(MILLIS, TimeUnit.MILLISECONDS));
        assertNotEquals(cluster.groupOfItem("1"), cluster.groupOfItem("3"));
        assertEquals(new Result.Committed(), cluster.submit("c1", 1, new Op.Transfer("1", "3", amount),
                cluster.groupOfItem("1")).get(MILLIS, TimeUnit.MILLISECONDS));
        assertEquals(new Result.Amount("1", 100 - amount), balance(1, "1"));
        assertEquals(new Result.Amount("3", 100 + amount), balance(2, "3"));
    }

    private Result balance(long seq, String item) throws Exception {
        return cluster.submit("reader", seq, new Op.Balance(item), cluster.groupOfItem(item))
                .get(MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Each node's pid, as it wrote it in its directory when it (or its JVM's newest incarnation) started. */
    private TreeMap<String, Long> pids() throws Exception {
        TreeMap<String, Long> pids = new TreeMap<>();
        for (int k = 1; k <= 6; k++) {
            pids.put("n" + k, Long.parseLong(Files.readString(tmp.resolve("logs/n" + k + "/pid")).strip()));
        }
        return pids;
    }
}
