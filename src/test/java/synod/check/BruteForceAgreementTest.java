package synod.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import synod.master.InProcessRun;

/**
 * The fast oracle against {@link BruteForceOracle} (every order of every hidden choice), on the
 * small published cases and on random small scripts built to hit the awkward corners: several
 * ReceiveAlls, snapshots begun while older markers are in flight, nodes created late, collections
 * with channels still open, prints after more commands. The implementation's outputs for a few
 * seeds must also be in the set.
 */
class BruteForceAgreementTest {
    static final int SCRIPTS = 300;

    /** Returns the number of possible outputs; throws {@link BruteForceOracle.TooBig} past {@code budget} states. */
    static int agree(String script, int budget) throws IOException {
        Set<String> brute = BruteForceOracle.outputs(script, budget);
        Set<String> fast = Cs380dChecker.possibleOutputs(script, 1_000_000);
        assertEquals(brute, fast, "possible outputs differ for script:\n" + script);
        for (String out : brute) {
            CheckerCasesTest.accepted(script, out);
        }
        for (long seed = 1; seed <= 5; seed++) {
            String out = InProcessRun.run(script, seed);
            assertEquals(true, brute.contains(out), "implementation printed an impossible output, seed " + seed
                    + ", script:\n" + script + "\n--- output:\n" + out);
        }
        return brute.size();
    }

    @Test
    void smallPublishedCases() throws IOException {
        for (String name : List.of("changanvr-case7.txt", "pskevin-readme.txt", "zhdllwyc-test3.txt", "hq01-test5.txt",
                "hq01-test7.txt", "spec-example1.txt", "spec-example2.txt", "spec-example3.txt")) {
            agree(CheckerCasesTest.read(CheckerCasesTest.CASES.resolve(name)), Integer.MAX_VALUE);
        }
    }

    @Test
    void randomSmallScripts() throws IOException {
        Random rnd = new Random(380);
        int compared = 0;
        int varied = 0;
        for (int i = 0; i < SCRIPTS; i++) {
            try {
                String script = i % 2 == 0 ? randomScript(rnd) : scenarioScript(rnd);
                varied += agree(script, 8_000) > 1 ? 1 : 0;
                compared++;
            } catch (BruteForceOracle.TooBig skipped) {
                // too many interleavings to try them all; the other scripts cover the same corners
            }
        }
        // Guard against a generator that stops exercising anything interesting.
        assertTrue(compared > SCRIPTS * 8 / 10, compared + " of " + SCRIPTS + " scripts compared");
        assertTrue(varied > SCRIPTS / 3, "only " + varied + " scripts had more than one possible output");
    }

    /**
     * A short script over nodes 1..3 (node 4 may be created late, perhaps after a snapshot began),
     * mostly valid commands, with a few referring to missing nodes, and a bounded number of
     * transfers between drains so that the brute force stays small.
     */
    static String randomScript(Random rnd) {
        StringBuilder sb = new StringBuilder("StartMaster\n");
        int nodes = rnd.nextInt(4) == 0 ? 2 : 3;
        for (int n = 1; n <= nodes; n++) {
            sb.append("CreateNode ").append(n).append(' ').append(100 * (1 + rnd.nextInt(5))).append('\n');
        }
        int length = 8 + rnd.nextInt(12);
        int inFlight = 0;
        for (int k = 0; k < length; k++) {
            int top = rnd.nextInt(12) == 0 ? nodes + 1 : nodes; // now and then a node that does not exist
            int a = 1 + rnd.nextInt(top);
            int b = rnd.nextInt(20) == 0 ? a : 1 + (a + rnd.nextInt(top - 1)) % top; // rarely to itself
            int r = rnd.nextInt(100);
            if (r < 35 && inFlight < 4) {
                sb.append("Send ").append(a).append(' ').append(b).append(' ').append(50 * rnd.nextInt(6)).append('\n');
                inFlight++;
            } else if (r < 50) {
                sb.append("Receive ").append(a).append('\n');
            } else if (r < 58) {
                sb.append("Receive ").append(a).append(' ').append(b).append('\n');
            } else if (r < 66) {
                sb.append("ReceiveAll\n");
                inFlight = 0;
            } else if (r < 78) {
                sb.append("BeginSnapshot ").append(a).append('\n');
            } else if (r < 86) {
                sb.append("CollectState\n");
            } else if (r < 94) {
                sb.append("PrintSnapshot\n");
            } else if (r < 98 && nodes == 3) {
                sb.append("CreateNode 4 ").append(100 * rnd.nextInt(4)).append('\n');
                nodes = 4;
            } else if (r < 99) {
                sb.append("KillAll\n");
            }
        }
        sb.append("ReceiveAll\nCollectState\nPrintSnapshot\n");
        return sb.toString();
    }

    /**
     * One or two rounds of: transfers, a snapshot (sometimes a second one while the first one's markers are
     * still queued, sometimes a node created meanwhile), more transfers, then a drain or a few
     * random receives, a collection and a print. Built to make the snapshot depend on hidden order.
     */
    static String scenarioScript(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int nodes = 3;
        for (int n = 1; n <= nodes; n++) {
            sb.append("CreateNode ").append(n).append(' ').append(100 * (2 + rnd.nextInt(4))).append('\n');
        }
        for (int round = rnd.nextInt(2); round < 2; round++) {
            sends(sb, rnd, nodes, 1 + rnd.nextInt(2));
            sb.append("BeginSnapshot ").append(1 + rnd.nextInt(nodes)).append('\n');
            if (rnd.nextInt(4) == 0 && nodes == 3) {
                sb.append("CreateNode 4 ").append(100 * rnd.nextInt(3)).append('\n');
                nodes = 4;
            }
            sends(sb, rnd, nodes, rnd.nextInt(3));
            if (rnd.nextInt(4) == 0) {
                sb.append("Receive ").append(1 + rnd.nextInt(nodes)).append('\n');
                sb.append("BeginSnapshot ").append(1 + rnd.nextInt(nodes)).append('\n');
            }
            if (rnd.nextInt(3) == 0) {
                for (int k = rnd.nextInt(4); k >= 0; k--) {
                    sb.append("Receive ").append(1 + rnd.nextInt(nodes)).append('\n');
                }
            } else {
                sb.append("ReceiveAll\n");
            }
            sb.append("CollectState\n");
            sends(sb, rnd, nodes, rnd.nextInt(2));
            sb.append(rnd.nextBoolean() ? "ReceiveAll\n" : "").append("PrintSnapshot\n");
        }
        return sb.toString();
    }

    private static void sends(StringBuilder sb, Random rnd, int nodes, int count) {
        for (int k = 0; k < count; k++) {
            int a = 1 + rnd.nextInt(nodes);
            int b = 1 + (a + rnd.nextInt(nodes - 1)) % nodes;
            sb.append("Send ").append(a).append(' ').append(b).append(' ').append(50 * (1 + rnd.nextInt(4))).append('\n');
        }
    }
}
