package synod.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Layer 3: a Multi-Paxos lock service under {@link PaxosSim}, one run per seed (3 or 5 nodes, drop,
 * duplication, reordering, partitions, crashes with lost and torn writes, restarts). A failure names
 * its seed and event; {@code -Dsim.seed=N} replays exactly that seed, {@code -Dsim.seeds=K} runs
 * seeds 1..K (2,000 by default: about 6 s), e.g. {@code mvn -q -B test -Dtest=PaxosSimTest -Dsim.seed=17}; add
 * {@code -Dsim.trace} to print every event, and the world every 50 ticks once the faults stop (the
 * output lands in {@code target/surefire-reports/synod.sim.PaxosSimTest-output.txt}).
 */
class PaxosSimTest {

    @Test
    void everySeedIsSafeAndLive() {
        Seeds seeds = Seeds.fromProperties(2000);
        long first = seeds.first();
        long count = seeds.count();
        long started = System.nanoTime();
        long events = 0, chosen = 0, executed = 0, crashes = 0, torn = 0, points = 0, partitions = 0, dropped = 0,
                duplicated = 0, late = 0, installs = 0, completed = 0, retries = 0, waits = 0, notHolders = 0, notices = 0,
                liveMax = 0, fives = 0;
        for (long seed = first; seed < first + count; seed++) {
            PaxosSim.Stats s = runSeed(seed);
            events += s.events();
            chosen += s.chosen();
            executed += s.executed();
            crashes += s.crashes();
            torn += s.tornCrashes();
            points += s.pointCrashes();
            partitions += s.partitions();
            dropped += s.dropped();
            duplicated += s.duplicated();
            late += s.late();
            installs += s.installs();
            completed += s.completed();
            retries += s.retries();
            waits += s.waits();
            notHolders += s.notHolders();
            notices += s.notices();
            liveMax = Math.max(liveMax, s.liveTicks());
            fives += s.nodes() == 5 ? 1 : 0;
        }
        System.out.printf("paxos sim: %d seeds from %d (%d of 5 nodes), %d events, %d slots chosen, %d requests"
                        + " executed, %d completed, %d retries, %d waits, %d not-holder, %d notices, %d crashes"
                        + " (%d torn, %d at a point), %d partitions, %d dropped, %d duplicated, %d late, %d checkpoints"
                        + " installed, settled at most %d ticks after the faults, %d ms%n",
                count, first, fives, events, chosen, executed, completed, retries, waits, notHolders, notices, crashes,
                torn, points, partitions, dropped, duplicated, late, installs, liveMax,
                (System.nanoTime() - started) / 1_000_000);
        if (count >= 100) {
            // Guards the simulator: a change that stops reaching these paths would make the test hollow.
            assertTrue(fives > 0 && fives < count, "both group sizes run");
            assertTrue(crashes > 0 && torn > 0 && points > 0 && partitions > 0 && dropped > 0 && duplicated > 0 && late > 0,
                    "every kind of fault happened");
            assertTrue(installs > 0 && retries > 0 && waits > 0 && notHolders > 0 && notices > 0,
                    "the runs never reached a path they are meant to cover");
        }
    }

    /**
     * The same worlds with frames of 1 KiB, a tenth of a checkpoint: promises, new views, catch-ups
     * and checkpoints go in parts, over a network that loses, duplicates and reorders them.
     */
    @Test
    void everySeedIsSafeAndLiveWhenFramesAreSmall() {
        Seeds seeds = Seeds.fromProperties(500);
        long parts = 0;
        long installs = 0;
        for (long seed = seeds.first(); seed < seeds.end(); seed++) {
            PaxosSim.Stats s = runSeed(seed, 1024);
            parts += s.parts();
            installs += s.installs();
        }
        System.out.printf("paxos sim, 1 KiB frames: %d seeds, %d parts delivered, %d checkpoints sent%n", seeds.count(),
                parts, installs);
        if (seeds.count() >= 100) {
            assertTrue(parts > 0 && installs > 0, "nothing went in parts: the test would be hollow");
        }
    }

    @Test
    void aSeedReplaysExactly() {
        assertEquals(runSeed(42), runSeed(42));
    }

    static PaxosSim.Stats runSeed(long seed) {
        return runSeed(seed, synod.paxos.PaxosConfig.FRAME_BYTES_DEFAULT);
    }

    static PaxosSim.Stats runSeed(long seed, int frameBytesMax) {
        PaxosSim sim = new PaxosSim(seed, frameBytesMax);
        try {
            return sim.run();
        } catch (AssertionError | RuntimeException e) {
            String msg = String.format("paxos simulation failed: seed %d, frames of %d bytes, at event %d, tick %d"
                    + " (replay with -Dsim.seed=%d): %s%nlast events:%n%s%n%s", seed, frameBytesMax, sim.events(),
                    sim.now(), seed, e,
                    sim.recentEvents(), sim.describe());
            System.err.println(msg);
            throw new AssertionError(msg, e);
        }
    }
}
