package synod.paxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import synod.app.Op;
import synod.app.Result;

/**
 * Values near the frame limit, through the real codec ({@link WireGroup}): everything a node builds
 * (catch-up, checkpoints, promises, new views) must be cut below the limit, or the node that built
 * it dies, and again at every restart. The harness case: four sequential 300 kB puts while a
 * follower is down, then the follower's restart; its catch-up was one frame of 1,203,573 bytes.
 */
class BigValuesTest {
    static final List<String> THREE = List.of("n1", "n2", "n3");
    static final int MIB = 1 << 20;
    static final String BIG = "v".repeat(300_000);

    static PaxosConfig config(int checkpointEvery) {
        return new PaxosConfig(THREE, 5, 30, 5, 200, 10, 64, 256, checkpointEvery, 256);
    }

    /** Four 300 kB puts through the leader while {@code down} is down; returns the leader. */
    static String fourBigPuts(WireGroup g, String down) {
        String leader = g.awaitLeader();
        g.kill(down);
        for (int i = 1; i <= 4; i++) {
            assertEquals(new Result.Ok(), g.request(leader, "c", i, new Op.Put("k" + i, i + BIG)));
        }
        return leader;
    }

    static String follower(WireGroup g, String leader) {
        return THREE.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
    }

    static void caughtUp(WireGroup g, String id) {
        for (int i = 1; i <= 4; i++) {
            assertEquals(i + BIG, g.services(id).kv().get("k" + i), id + " lacks k" + i);
        }
    }

    @Test
    void aRestartedFollowerCatchesUpOnFourBigPutsInFramesBelowTheLimit() {
        WireGroup g = new WireGroup(config(1000));
        String leader = g.awaitLeader();
        String down = follower(g, leader);
        fourBigPuts(g, down);
        g.restart(down);
        g.tick(300);
        caughtUp(g, down);
        assertTrue(g.largestFrame() <= MIB, "largest frame " + g.largestFrame());
    }

    @Test
    void aCheckpointLargerThanAFrameTravelsInParts() {
        WireGroup g = new WireGroup(config(2)); // the leader checkpoints past the follower: it must send its state
        String leader = g.awaitLeader();
        String down = follower(g, leader);
        fourBigPuts(g, down);
        g.restart(down);
        g.tick(300);
        caughtUp(g, down);
        assertEquals(g.node(leader).replica().machine().snapshot(), g.node(down).replica().machine().snapshot());
        assertTrue(g.largestFrame() <= MIB, "largest frame " + g.largestFrame());
        assertTrue(g.sent.getOrDefault("CheckpointPart", 0) >= 2, "the checkpoint went in parts: " + g.sent);
        // and the follower, restarted again, recovers the installed checkpoint from its own log
        g.kill(down);
        g.restart(down);
        caughtUp(g, down);
    }

    @Test
    void afterTheLeaderDiesTheLaggingFollowerAndTheOtherElectOneInFramesBelowTheLimit() {
        for (int checkpointEvery : new int[] {0, 1000, 3}) {
            WireGroup g = new WireGroup(config(checkpointEvery));
            String leader = g.awaitLeader();
            String down = follower(g, leader);
            fourBigPuts(g, down);
            g.kill(leader);
            g.restart(down);
            String next = g.awaitLeader();
            g.tick(300);
            caughtUp(g, down);
            caughtUp(g, next);
            assertEquals(new Result.Value("k2", 2 + BIG), g.request(next, "d", 1, new Op.Get("k2")));
            assertTrue(g.largestFrame() <= MIB, "largest frame " + g.largestFrame());
        }
    }

    @Test
    void aLaggingCandidateGetsAPromiseInPartsAndSendsItsNewViewInParts() {
        WireGroup g = new WireGroup(config(1000));
        String leader = g.awaitLeader();
        String down = follower(g, leader);
        String other = THREE.stream().filter(n -> !n.equals(leader) && !n.equals(down)).findFirst().orElseThrow();
        fourBigPuts(g, down);
        g.kill(leader);
        g.kill(other);
        g.restart(down); // alone, it campaigns from slot 0, where it is
        int prepares = g.sent.getOrDefault("Prepare", 0);
        for (int i = 0; i < 200 && g.sent.getOrDefault("Prepare", 0) == prepares; i++) {
            g.tick(1);
        }
        int views = g.sent.getOrDefault("NewView", 0);
        g.restart(other); // whose promise holds the four 300 kB values it accepted
        assertEquals(down, g.awaitLeader(), "the lagging node leads");
        g.tick(100);
        caughtUp(g, down);
        caughtUp(g, other);
        assertTrue(g.sent.getOrDefault("Promise part", 0) >= 2, "the promise went in parts: " + g.sent);
        // the new view went to both peers (one of them down), in parts: more than one message each
        assertTrue(g.sent.getOrDefault("NewView", 0) - views > 2, "the new view went in parts: " + g.sent);
        assertEquals(new Result.Value("k4", 4 + BIG), g.request(down, "d", 1, new Op.Get("k4")));
        assertTrue(g.largestFrame() <= MIB, "largest frame " + g.largestFrame());
    }
}
