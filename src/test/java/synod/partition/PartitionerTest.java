package synod.partition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PartitionerTest {
    /** k clusters of {@code size} vertices, dense inside (weight 5), each joined to the next by one edge of weight 1. */
    private static Graph clusters(int k, int size, long seed) {
        Random r = new Random(seed);
        Graph.Builder b = new Graph.Builder(k * size);
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < size; i++) {
                for (int j = i + 1; j < size; j++) {
                    if (r.nextDouble() < 0.5) {
                        b.edge(c * size + i, c * size + j, 5);
                    }
                }
                b.edge(c * size + i, c * size + (i + 1) % size, 5); // a ring: each cluster connected
            }
            b.edge(c * size, ((c + 1) % k) * size + 1, 1);
        }
        return b.build();
    }

    @Test
    void theObviousCutIsFound() {
        for (int k = 2; k <= 5; k++) {
            Graph g = clusters(k, 30, k);
            int[] part = Partitioner.partition(g, k, Partitioner.IMBALANCE, 1);
            assertEquals(k == 2 ? 2 : k, g.cut(part), "k=" + k + ": only the light edges between the clusters are cut");
            for (int c = 0; c < k; c++) {
                for (int i = 1; i < 30; i++) {
                    assertEquals(part[c * 30], part[c * 30 + i], "cluster " + c + " kept whole");
                }
            }
        }
    }

    @Test
    void parallelEdgesAddUpAndSelfLoopsAreDropped() {
        Graph g = new Graph.Builder(3).edge(0, 1, 2).edge(1, 0, 3).edge(2, 2, 7).edge(1, 2, 1).build();
        assertEquals(5, g.cut(new int[] {0, 1, 1}));
        assertEquals(1, g.cut(new int[] {0, 0, 1}));
        assertEquals(6, g.cut(new int[] {0, 1, 0}));
    }

    /** A seeded random graph: n unit vertices, m edges of weight 1..3 between random pairs, some vertices isolated. */
    private static Graph random(int n, int m, Random r) {
        Graph.Builder b = new Graph.Builder(n);
        int touched = Math.max(2, n * 2 / 3);
        for (int i = 0; i < m; i++) {
            b.edge(r.nextInt(touched), r.nextInt(touched), 1 + r.nextInt(3));
        }
        return b.build();
    }

    @Test
    void everyPartStaysWithinTheImbalanceBound() {
        Random r = new Random(42);
        for (int t = 0; t < 40; t++) {
            int n = 50 + r.nextInt(3000);
            int k = 2 + r.nextInt(4);
            Graph g = random(n, r.nextInt(4 * n), r);
            double eps = t % 2 == 0 ? 0.03 : 0.0;
            int[] part = Partitioner.partition(g, k, eps, t);
            long cap = Partitioner.cap(n, k, eps);
            for (long w : g.partWeights(part, k)) {
                assertTrue(w <= cap, "n=" + n + " k=" + k + " eps=" + eps + ": a part of " + w + " > cap " + cap);
            }
        }
        assertEquals(3090, Partitioner.cap(9000, 3, 0.03));
        assertEquals(3001, Partitioner.cap(9001, 3, 0.0));
    }

    @Test
    void refinementNeverMakesTheCutWorseNorBreaksTheBound() {
        Random r = new Random(7);
        for (int t = 0; t < 200; t++) {
            int n = 10 + r.nextInt(400);
            int k = 2 + r.nextInt(4);
            Graph g = random(n, r.nextInt(5 * n), r);
            long cap = Partitioner.cap(n, k, 0.03);
            int[] part = new int[n];
            for (int u = 0; u < n; u++) {
                part[u] = u % k; // balanced, and a poor cut: plenty for FM to do
            }
            long before = g.cut(part);
            long gained = new Refine(g, k, part, cap).fm();
            long after = g.cut(part);
            assertTrue(after <= before, "trial " + t + ": FM made the cut " + before + " -> " + after);
            assertEquals(before - after, gained, "trial " + t + ": FM's account of its gain");
            for (long w : g.partWeights(part, k)) {
                assertTrue(w <= cap, "trial " + t + ": FM overfilled a part: " + w + " > " + cap);
            }
        }
    }

    /** With no slack (30 a part, cap 30) a single move always overfills: FM must still find swaps. */
    @Test
    void refinementImprovesAPoorPartitionThatIsExactlyBalanced() {
        Graph g = clusters(3, 30, 3);
        int[] part = new int[90];
        for (int u = 0; u < 90; u++) {
            part[u] = u % 3;
        }
        long before = g.cut(part);
        new Refine(g, 3, part, Partitioner.cap(90, 3, 0.03)).fm();
        assertTrue(g.cut(part) < before, "FM from a round-robin partition: " + before + " -> " + g.cut(part));
    }

    @Test
    void rebalanceBringsEveryPartUnderTheCap() {
        Graph g = random(300, 600, new Random(3));
        int[] part = new int[300]; // everything in part 0
        long cap = Partitioner.cap(300, 3, 0.03);
        new Refine(g, 3, part, cap).rebalance();
        for (long w : g.partWeights(part, 3)) {
            assertTrue(w <= cap, w + " > " + cap);
        }
    }

    @Test
    void theSameSeedGivesTheSamePartition() {
        Graph g = random(2000, 5000, new Random(9));
        assertArrayEquals(Partitioner.partition(g, 3, 0.03, 5), Partitioner.partition(g, 3, 0.03, 5));
    }

    @Test
    void aPlantedPartitionIsFoundAsWellAsPlanted() {
        // 3 planted groups of 1000, 6000 edges inside the groups, 300 across: the planted cut is about 300
        Random r = new Random(11);
        int n = 3000;
        Graph.Builder b = new Graph.Builder(n);
        int planted = 0;
        for (int i = 0; i < 6300; i++) {
            int u = r.nextInt(n);
            int v = i < 6000 ? (u / 1000) * 1000 + r.nextInt(1000) : r.nextInt(n);
            b.edge(u, v, 1);
            if (u / 1000 != v / 1000) {
                planted++;
            }
        }
        Graph g = b.build();
        int[] part = Partitioner.partition(g, 3, 0.03, 1);
        assertTrue(g.cut(part) <= planted, "cut " + g.cut(part) + " against the planted " + planted);
    }

    @Test
    void coarseningPairsOnlyIsolatedLeftoversNeverVerticesOfUnrelatedStars() {
        // two stars (centre 0, leaves 1-3; centre 4, leaves 5-7) and two isolated vertices 8, 9: once a
        // centre is matched its other leaves have no free neighbour; pairing them with any leftover
        // glued leaves of different stars into one coarse vertex, which no refinement can then split
        Graph g = new Graph.Builder(10).edge(0, 1, 1).edge(0, 2, 1).edge(0, 3, 1)
                .edge(4, 5, 1).edge(4, 6, 1).edge(4, 7, 1).build();
        int[] free = new int[10];
        java.util.Arrays.fill(free, -1);
        for (int seed = 0; seed < 30; seed++) {
            int[] map = Coarsen.step(g, 100, new Random(seed), free).map();
            for (int u = 0; u < 4; u++) {
                for (int v = 4; v < 8; v++) {
                    assertTrue(map[u] != map[v], "seed " + seed + ": " + u + " and " + v + " of different stars merged");
                }
            }
            for (int u = 0; u < 8; u++) {
                assertTrue(map[u] != map[8] && map[u] != map[9], "seed " + seed + ": " + u + " merged with an isolated vertex");
            }
            assertEquals(map[8], map[9], "seed " + seed + ": the isolated vertices pair up");
        }
    }
}
