package synod.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import synod.partition.Reshard;

/**
 * {@code bin/bench reshard [TRANSACTIONS]}: the resharding function alone (no cluster), on Project
 * 3's 9,000 items in three ranges and a synthetic history of transfers (default 100,000): the items
 * fall in 30 communities of 300, scattered over the ranges by a fixed permutation, and nine
 * transfers in ten stay within a community. A mapping that gathers the communities (ten a group)
 * leaves about 6.7% of the transfers across groups, against about 67% for the ranges. Prints, for
 * three seeds of the history: the time Reshard.plan takes, the items it moves, the fraction of the
 * history across groups before and after, and the groups' sizes.
 */
public final class ReshardBench {
    private static final int ITEMS = 9000;
    private static final int COMMUNITY = 300;

    private ReshardBench() {}

    public static void main(String[] args) {
        int transactions = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        List<String> items = new ArrayList<>();
        for (int i = 1; i <= ITEMS; i++) {
            items.add(String.valueOf(i));
        }
        System.out.printf("synod bench: resharding %d items on 3 groups from %d transfers (30 scattered communities,"
                + " 90%% of transfers within one), 3%% imbalance, %d cores%n", ITEMS, transactions,
                Runtime.getRuntime().availableProcessors());
        System.out.println("history seed   plan ms   moved   across before   across after   group sizes");
        for (int seed = 0; seed < 3; seed++) {
            List<List<String>> history = history(transactions, new Random(seed));
            long t0 = System.nanoTime();
            List<Reshard.Move> moves = Reshard.plan(items, ReshardBench::range, history, 3, 1);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            Map<String, Integer> group = new HashMap<>();
            items.forEach(i -> group.put(i, range(i)));
            double before = across(history, group);
            moves.forEach(m -> group.put(m.item(), m.to()));
            int[] sizes = new int[3];
            group.values().forEach(g -> sizes[g - 1]++);
            System.out.printf("%12d   %7d   %5d   %12.1f%%   %11.1f%%   %s%n", seed, ms, moves.size(), 100 * before,
                    100 * across(history, group), java.util.Arrays.toString(sizes));
        }
        System.out.println("(plan ms includes the JIT's first compilations: the first seed's is the slowest)");
    }

    private static int range(String item) {
        return (Integer.parseInt(item) - 1) / (ITEMS / 3) + 1;
    }

    private static List<List<String>> history(int n, Random r) {
        List<List<String>> h = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int u = r.nextInt(ITEMS);
            int v = r.nextDouble() < 0.9 ? (u / COMMUNITY) * COMMUNITY + r.nextInt(COMMUNITY) : r.nextInt(ITEMS);
            h.add(List.of(scatter(u), scatter(v)));
        }
        return h;
    }

    /** Item of index u after the fixed scattering (7919 is prime to 9000, so this is a permutation). */
    private static String scatter(int u) {
        return String.valueOf((int) ((u * 7919L) % ITEMS) + 1);
    }

    private static double across(List<List<String>> history, Map<String, Integer> group) {
        return (double) history.stream().filter(t -> !group.get(t.get(0)).equals(group.get(t.get(1)))).count()
                / history.size();
    }
}
