package synod.bench;

import java.util.List;

/** The comparison table: per concurrency, synod's figures, the peer's, and the ratio of throughputs. */
final class SideBySide {
    private SideBySide() {}

    static void print(String peer, List<ClosedLoop.Run> ours, List<ClosedLoop.Run> theirs) {
        String cols = "   ops/s  p50 ms  p99 ms  gen CPU  srv CPU";
        System.out.printf("%-9s%-44s%s (3 members)%n", "", "synod (3 nodes)", peer);
        System.out.printf("clients  %s  %s  synod/%s%n", cols, cols, peer);
        for (int i = 0; i < Workload.CONCURRENCY.length; i++) {
            ClosedLoop.Run a = ours.get(i);
            ClosedLoop.Run b = theirs.get(i);
            System.out.printf("%7d  %s  %s  %7.2fx%n", Workload.CONCURRENCY[i], row(a), row(b),
                    a.opsPerSecond() / b.opsPerSecond());
        }
        System.out.println("(CPU: percent of one core, generator = this JVM, srv = the 3 server processes together)");
    }

    private static String row(ClosedLoop.Run r) {
        return String.format("%8.0f  %6.2f  %6.2f  %6.0f%%  %6.0f%%", r.opsPerSecond(), r.pct(0.50), r.pct(0.99),
                r.generatorCpu() * 100, r.serverCpu() * 100);
    }
}
