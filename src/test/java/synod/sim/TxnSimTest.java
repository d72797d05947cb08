package synod.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Layer 3: two-phase commit over Paxos groups under {@link TxnSim}, for the bank's transfers, the
 * key-value store's transactions with guards ({@link KvModel}) and resharding's moves of accounts
 * between groups (mixed into the transfers, through every fault), one run per seed (2 or 3 groups
 * of 1 or 3 nodes; drop, duplication, reordering, late messages, partitions, crashes at any step and
 * at every 2PC point, restarts, whole groups down). A failure names its seed and event;
 * {@code -Dsim.seed=N} replays exactly that seed, {@code -Dsim.seeds=K} runs seeds 1..K (1,000 by
 * default), e.g. {@code make sim SEED=17}, or {@code mvn -q -B test -Dtest=TxnSimTest -Dsim.seed=17};
 * add {@code -Dsim.trace} to print every event (into
 * {@code target/surefire-reports/synod.sim.TxnSimTest-output.txt}).
 */
class TxnSimTest {
    private static final List<String> TXN_POINTS = List.of("2pc-after-send-prepare", "2pc-after-send-prepared",
            "2pc-before-send-commit", "2pc-before-send-ack");

    @Test
    void everySeedIsAtomicConservesMoneyKeepsGuardsAndIsLive() {
        Seeds seeds = Seeds.fromProperties(1000);
        long started = System.nanoTime();
        long cpuStarted = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long events = 0, crashes = 0, torn = 0, partitions = 0, outages = 0, dropped = 0, duplicated = 0, late = 0,
                installs = 0, completed = 0, retries = 0, busyRetries = 0, liveMax = 0, singles = 0, threeGroups = 0;
        long began = 0, committed = 0, aborted = 0, timeouts = 0, busyAborts = 0, refused = 0, intra = 0,
                insufficient = 0, busyAnswers = 0, reads = 0, busyReads = 0;
        TreeMap<String, Long> points = new TreeMap<>();
        TreeMap<String, Long> sent = new TreeMap<>();
        long kvAcross = 0, kvAlone = 0, kvFailed = 0, kvBusy = 0, kvReads = 0, kvPrepared = 0, moves = 0, redirects = 0;
        for (long seed = seeds.first(); seed < seeds.end(); seed++) {
            TxnSim.Stats s = runSeed(seed);
            events += s.events();
            crashes += s.crashes();
            torn += s.torn();
            s.pointCrashes().forEach((p, n) -> points.merge(p, n, Long::sum));
            partitions += s.partitions();
            outages += s.outages();
            dropped += s.dropped();
            duplicated += s.duplicated();
            late += s.late();
            installs += s.installs();
            completed += s.completed();
            retries += s.retries();
            busyRetries += s.busyRetries();
            liveMax = Math.max(liveMax, s.liveTicks());
            singles += s.replicas() == 1 ? 1 : 0;
            threeGroups += s.groups() == 3 ? 1 : 0;
            TxnTruth.Counts c = s.counts();
            began += c.began();
            committed += c.committed();
            aborted += c.aborted();
            timeouts += c.timeouts();
            busyAborts += c.busyAborts();
            refused += c.refused();
            intra += c.intraCommitted();
            insufficient += c.insufficient();
            busyAnswers += c.busyAnswers();
            reads += c.reads();
            busyReads += c.busyReads();
            c.sent().forEach((k, n) -> sent.merge(k, n, Long::sum));
            kvAcross += c.kv().committedAcross();
            kvAlone += c.kv().committedAlone();
            kvFailed += c.kv().failed();
            kvBusy += c.kv().busy();
            kvReads += c.kv().reads();
            kvPrepared += c.kv().prepared();
            moves += c.moves();
            redirects += c.redirects();
        }
        System.out.printf("2pc sim, resharding: %d accounts moved between groups, %d requests told another group"
                + " holds their item%n", moves, redirects);
        System.out.printf("2pc sim, key-value store: %d transactions committed across groups, %d within one, %d failed"
                + " a guard, %d participants prepared, %d reads, %d busy answers%n", kvAcross, kvAlone, kvFailed,
                kvPrepared, kvReads, kvBusy);
        System.out.printf("2pc sim: %d seeds from %d (%d of 3 groups, %d with groups of 1 node), %d events; %d"
                        + " transactions across groups: %d committed, %d aborted (%d timeouts, %d busy, %d refused);"
                        + " %d committed within a group, %d insufficient, %d busy answers, %d reads (%d busy); %d requests"
                        + " completed, %d resent unanswered, %d resent busy; 2PC messages sent %s; %d crashes (%d torn), at points %s; %d"
                        + " groups down, %d partitions, %d dropped, %d duplicated, %d late, %d checkpoints installed;"
                        + " settled at most %d ticks after the faults; %d ms (%d ms of CPU)%n",
                seeds.count(), seeds.first(), threeGroups, singles, events, began, committed, aborted, timeouts,
                busyAborts, refused, intra, insufficient, busyAnswers, reads, busyReads, completed, retries, busyRetries, sent,
                crashes, torn, points, outages, partitions, dropped, duplicated, late, installs, liveMax,
                (System.nanoTime() - started) / 1_000_000,
                (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStarted) / 1_000_000);
        if (seeds.count() >= 100) {
            // Guards the simulator: a change that stops reaching these paths would make the test hollow.
            assertTrue(singles > 0 && singles < seeds.count() && threeGroups > 0 && threeGroups < seeds.count(),
                    "every layout runs");
            assertTrue(TXN_POINTS.stream().allMatch(p -> points.getOrDefault(p, 0L) > 0), "a crash at every 2PC point");
            assertTrue(crashes > 0 && torn > 0 && outages > 0 && partitions > 0 && dropped > 0 && duplicated > 0
                    && late > 0 && installs > 0, "every kind of fault happened");
            assertTrue(committed > 0 && timeouts > 0 && busyAborts > 0 && refused > 0 && intra > 0 && insufficient > 0
                    && busyAnswers > 0 && reads > 0 && busyReads > 0 && busyRetries > 0 && sent.getOrDefault("Inquire", 0L) > 0,
                    "the runs never reached a path they are meant to cover");
            assertTrue(kvAcross > 0 && kvAlone > 0 && kvFailed > 0 && kvBusy > 0 && kvReads > 0 && kvPrepared > 0,
                    "the key-value clients never reached a path they are meant to cover");
            assertTrue(moves > 0 && redirects > 0, "no account moved, or no request followed one");
        }
    }

    @Test
    void aSeedReplaysExactly() {
        assertEquals(runSeed(42), runSeed(42));
    }

    static TxnSim.Stats runSeed(long seed) {
        TxnSim sim = new TxnSim(seed);
        try {
            return sim.run();
        } catch (AssertionError | RuntimeException e) {
            String msg = String.format("2pc simulation failed: seed %d at event %d, tick %d (replay with"
                    + " make sim SEED=%d): %s%nlast events:%n%s%n%s", seed, sim.events(), sim.now(), seed, e,
                    sim.recentEvents(), sim.describe());
            System.err.println(msg);
            throw new AssertionError(msg, e);
        }
    }
}
