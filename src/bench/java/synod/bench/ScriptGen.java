package synod.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates a valid CS380D script of a given length for benchmarks: sends, receives by named
 * channel, and now and then a snapshot drained and collected. It mirrors channel depths and
 * balances so every Receive finds a message and most Sends are affordable.
 */
public final class ScriptGen {
    private ScriptGen() {}

    public static List<String> generate(int nodes, int commands, long seed) {
        Random rnd = new Random(seed);
        List<String> lines = new ArrayList<>();
        long[] balance = new long[nodes + 1];
        int[][] depth = new int[nodes + 1][nodes + 1];
        lines.add("StartMaster");
        for (int i = 1; i <= nodes; i++) {
            balance[i] = 1_000_000;
            lines.add("CreateNode " + i + " " + balance[i]);
        }
        int made = 0;
        while (made < commands) {
            int roll = rnd.nextInt(1000);
            if (roll < 2 && made + 4 <= commands) {
                lines.add("BeginSnapshot " + (1 + rnd.nextInt(nodes)));
                lines.add("ReceiveAll");
                lines.add("CollectState");
                lines.add("PrintSnapshot");
                for (int[] row : depth) {
                    java.util.Arrays.fill(row, 0);
                }
                made += 4;
                continue;
            }
            int from = 1 + rnd.nextInt(nodes);
            int to = 1 + (from - 1 + 1 + rnd.nextInt(nodes - 1)) % nodes;
            if (roll < 550 || depth[from][to] == 0) {
                long amount = 1 + rnd.nextInt(100);
                lines.add("Send " + from + " " + to + " " + amount);
                if (amount <= balance[from]) {
                    balance[from] -= amount;
                    depth[from][to]++;
                }
            } else {
                lines.add("Receive " + to + " " + from);
                depth[from][to]--;
            }
            made++;
        }
        return lines;
    }
}
