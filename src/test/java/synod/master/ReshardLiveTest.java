package synod.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import synod.app.Op;
import synod.app.Result;

/**
 * Resharding while transfers run, on real node JVMs (three groups of one node: a move takes part
 * in every group, and one node a group keeps the test lean). Clients transfer between six accounts
 * while a mover sends every account to another group and some back again; a request that reaches
 * an account's old group is told where it went and follows. Then every balance must be the opening
 * one moved by exactly the transfers whose clients heard "committed" (none lost, none twice), the
 * sum what was opened, and every node's mapping the one the committed moves give. After kill -9 of
 * every node and a restart from the logs, all of it again.
 */
@Tag("end-to-end")
class ReshardLiveTest extends LiveClusterTest {
    static final long OPENING = 100;
    static final int CLIENTS = 4;
    static final int TRANSFERS = 30;
    static final long MILLIS = 60_000;


    @Test
    void transfersDuringAReshardingAreConservedAndExactlyOnceAndSurviveARestart() throws Exception {
        open(11);
        cluster.start(3, 1);
        List<String> items = List.of("1", "2", "3", "4", "5", "6");
        assertInstanceOf(Result.Opened.class, Shards.run(cluster, "opener", Shards.plan(cluster, 1, items, OPENING))
                .get(MILLIS, TimeUnit.MILLISECONDS));

        Map<String, Long> expected = new ConcurrentHashMap<>();
        items.forEach(i -> expected.put(i, OPENING));
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int c = 1; c <= CLIENTS; c++) {
            String client = "c" + c;
            Random random = new Random(c);
            threads.add(thread(failures, () -> {
                for (int seq = 1; seq <= TRANSFERS; seq++) {
                    String from = items.get(random.nextInt(items.size()));
                    String to = items.get(random.nextInt(items.size()));
                    long amount = 1 + random.nextInt(30);
                    Result r = cluster.submit(client, seq, new Op.Transfer(from, to, amount), cluster.groupOfItem(from))
                            .get(MILLIS, TimeUnit.MILLISECONDS);
                    if (r instanceof Result.Committed) {
                        expected.merge(from, -amount, Long::sum);
                        expected.merge(to, amount, Long::sum);
                    } else {
                        assertTrue(r instanceof Result.Insufficient || r instanceof Result.Aborted, client + " " + seq
                                + ": " + r);
                    }
                }
            }));
        }
        int[] moves = {0};
        threads.add(thread(failures, () -> {
            long seq = 0;
            // every account to the next group, then the first three on again: moves of moved items too
            List<String> order = new ArrayList<>(items);
            order.addAll(items.subList(0, 3));
            for (String item : order) {
                int from = cluster.groupOfItem(item);
                int to = from % 3 + 1;
                Result r = cluster.submit("mover", ++seq, new Op.Move(item, to), from).get(MILLIS, TimeUnit.MILLISECONDS);
                assertInstanceOf(Result.Committed.class, r, "moving " + item + " from group " + from + " to " + to);
                cluster.moved(item, to);
                moves[0]++;
            }
        }));
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(5 * MILLIS);
        }
        assertTrue(failures.isEmpty(), "failures: " + failures);
        assertEquals(9, moves[0]);
        check(expected, items, 1);

        for (int k = 1; k <= 3; k++) {
            cluster.kill("n" + k); // kill -9: the moves must come back from the logs
        }
        for (int k = 1; k <= 3; k++) {
            cluster.spawn("n" + k);
        }
        for (int k = 1; k <= 3; k++) {
            cluster.awaitHello("n" + k);
        }
        check(expected, items, 2);
    }

    /** Every balance as the committed transfers give it, read where the mapping says; every node's mapping the same. */
    private void check(Map<String, Long> expected, List<String> items, long readerRound) throws Exception {
        long sum = 0;
        long seq = readerRound * 100; // the reader's numbers grow across the rounds, as a client's must
        TreeMap<String, Integer> where = new TreeMap<>(synod.core.NodeIds.ORDER);
        for (String item : items) {
            int g = cluster.groupOfItem(item);
            where.put(item, g);
            Result r = cluster.submit("reader", ++seq, new Op.Balance(item), g).get(MILLIS, TimeUnit.MILLISECONDS);
            assertEquals(new Result.Amount(item, expected.get(item)), r, item + " in group " + g
                    + ": the opening balance moved by exactly the committed transfers");
            sum += ((Result.Amount) r).balance();
            // sent to the group it was opened in, which may have given it up: it follows the item
            int opened = items.indexOf(item) / 2 + 1;
            assertEquals(r, cluster.submit("reader", ++seq, new Op.Balance(item), opened).get(MILLIS, TimeUnit.MILLISECONDS),
                    item + " read at group " + opened + ", where it was opened");
        }
        assertEquals(OPENING * items.size(), sum, "conservation");
        StringBuilder mapping = new StringBuilder("v9: ");
        where.forEach((item, g) -> mapping.append(mapping.length() > 4 ? ", " : "").append(item).append(" in c").append(g));
        for (int k = 1; k <= 3; k++) {
            // a move commits at its giver first; the others apply it when its decision reaches them
            long end = synod.runtime.EventLoop.nowMillis() + MILLIS;
            List<String> a = cluster.query("n" + k, "placement", 0, MILLIS);
            while (a != null && !a.get(0).equals(mapping.toString()) && synod.runtime.EventLoop.nowMillis() < end) {
                Thread.sleep(20); // polling a node: the decision travels between other processes
                a = cluster.query("n" + k, "placement", 0, MILLIS);
            }
            assertNotNull(a, "n" + k + " does not answer");
            assertEquals(mapping.toString(), a.get(0), "n" + k + "'s mapping");
        }
    }

    interface Body {
        void run() throws Exception;
    }

    private static Thread thread(List<Throwable> failures, Body body) {
        return new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failures.add(e);
            }
        });
    }
}
