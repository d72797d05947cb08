package synod.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import synod.app.Op;
import synod.app.Result;
import synod.master.PaxosCluster;

/**
 * {@code bin/bench bank [NODES [SECONDS [READS [ZIPF]]]]}: the replicated bank under N closed-loop
 * clients (1, 16, 64), fsync on: transfers of 1 between accounts 1..1000, or with probability
 * READS a balance read (through the log), accounts drawn uniformly or Zipf-skewed with exponent
 * ZIPF (0 = uniform). Reports ops/s, p50/p99 at the client, and the CPU the load generator
 * itself used, beside the disk's single-fsync rate measured in the same run.
 */
public final class BankLoadBench {
    private static final int ACCOUNTS = 1000;

    private BankLoadBench() {}

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 3;
        double reads = args.length > 2 ? Double.parseDouble(args[2]) : 0;
        double zipf = args.length > 3 ? Double.parseDouble(args[3]) : 0;
        System.out.printf("synod bench: replicated bank, %d nodes, fsync on, %d s per point, reads %.0f%%, accounts %s,"
                + " %d cores%n", nodes, seconds, reads * 100, zipf > 0 ? "Zipf s=" + zipf : "uniform",
                Runtime.getRuntime().availableProcessors());
        ClosedLoop.Setup setup = ClosedLoop.setup("bench-bank");
        double fsyncs = setup.fsyncsPerSecond();
        System.out.println("clients      ops/s   p50 ms   p99 ms   generator CPU   ops per baseline fsync");
        try (PaxosCluster cluster = setup.warmedGroup(nodes)) {
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= ACCOUNTS; i++) {
                ids.add(String.valueOf(i));
            }
            Result opened = cluster.submit("opener", 1, new Op.Open(ids, 1_000_000), 1).get();
            if (!(opened instanceof Result.Opened)) {
                throw new IllegalStateException("could not open accounts: " + opened);
            }
            Accounts pick = new Accounts(ACCOUNTS, zipf);
            BenchProgress.plan(3);
            for (int clients : new int[] {1, 16, 64}) {
                Random[] rnd = new Random[clients];
                for (int c = 0; c < clients; c++) {
                    rnd[c] = new Random(c * 7919L + clients);
                }
                SynodTarget target = new SynodTarget(cluster, "t" + clients + "-", (c, seq) -> {
                    Random x = rnd[c];
                    return x.nextDouble() < reads ? new Op.Balance(pick.next(x))
                            : new Op.Transfer(pick.next(x), pick.next(x), 1);
                });
                BenchProgress.point(clients + " clients");
                ClosedLoop.Run r = ClosedLoop.run(target, clients, seconds).checked("bank bench");
                BenchProgress.clear();
                System.out.printf("%7d  %9.0f  %7.2f  %7.2f   %9.0f%%      %6.2fx%n", clients, r.opsPerSecond(),
                        r.pct(0.50), r.pct(0.99), r.generatorCpu() * 100, r.opsPerSecond() / fsyncs);
            }
        }
    }

    /** Account names drawn uniformly, or Zipf-skewed (inverse CDF over precomputed weights). */
    static final class Accounts {
        private final double[] cdf;

        Accounts(int n, double s) {
            cdf = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += s > 0 ? 1 / Math.pow(i + 1, s) : 1;
                cdf[i] = sum;
            }
            for (int i = 0; i < n; i++) {
                cdf[i] /= sum;
            }
        }

        String next(Random r) {
            int i = java.util.Arrays.binarySearch(cdf, r.nextDouble());
            return String.valueOf((i < 0 ? -i - 1 : i) + 1);
        }
    }
}
