package synod.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import synod.master.BankCluster;
import synod.master.BankRunner;
import synod.master.Command;
import synod.master.InProcessCluster;
import synod.master.ProcessCluster;
import synod.master.ScriptParser;
import synod.runtime.Logs;

/**
 * {@code bin/bench}: CS380D figures, each beside a baseline measured in the same run.
 * <ul>
 *   <li>start-up: 8 nodes started and fully connected, against 8 bare JVMs started and exited;</li>
 *   <li>throughput: a generated 10,000-command script on real node JVMs over TCP, against the same
 *       script on the same cores in this JVM (no processes, no sockets).</li>
 * </ul>
 */
public final class BankBench {
    private BankBench() {}

    public static void main(String[] args) throws Exception {
        int nodes = intArg(args, 0, 8);
        int commands = intArg(args, 1, 10_000);
        int rounds = intArg(args, 2, 3);
        Path logs = Path.of("logs", "bench");
        Logs.toFile(logs.resolve("bench.log"));
        System.out.printf("synod bench: CS380D bank, %d nodes, %d-command script, %d rounds, %d cores, java %s%n",
                nodes, commands, rounds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

        List<Double> bare = new ArrayList<>();
        List<Double> start = new ArrayList<>();
        BenchProgress.plan(4 * rounds);
        for (int r = 0; r < rounds; r++) {
            BenchProgress.point("round " + (r + 1) + ", " + nodes + " bare JVMs");
            bare.add(bareJvms(nodes));
            BenchProgress.point("round " + (r + 1) + ", " + nodes + " nodes starting");
            start.add(startCluster(nodes, logs));
        }
        BenchProgress.clear();
        double b = median(bare);
        double s = median(start);
        System.out.printf("start-up   %d nodes started and connected: %7.0f ms   %d bare JVMs: %7.0f ms   ratio %.2fx%n",
                nodes, s, nodes, b, s / b);

        List<Command> script = parse(ScriptGen.generate(nodes, commands, 1));
        Path file = logs.resolve("script-" + commands + ".txt");
        Files.write(file, ScriptGen.generate(nodes, commands, 1));
        List<Double> real = new ArrayList<>();
        List<Double> local = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            BenchProgress.point("round " + (r + 1) + ", the script in-process");
            local.add(runScript(new InProcessCluster(), script, nodes));
            try (ProcessCluster pc = new ProcessCluster(ProcessCluster.Settings.defaults(logs))) {
                BenchProgress.point("round " + (r + 1) + ", the script on node JVMs");
                real.add(runScript(pc, script, nodes));
            }
        }
        BenchProgress.clear();
        double rs = median(real);
        double ls = median(local);
        System.out.printf("throughput %d commands on node JVMs: %7.0f ms = %8.0f cmd/s   in-process cores: %7.0f ms = %9.0f cmd/s   ratio %.3f%n",
                commands, rs, commands / (rs / 1000), ls, commands / (ls / 1000), ls / rs);
        System.out.printf("(the script is in %s: time it end to end with: time bin/master %s > /dev/null)%n", file, file);
    }

    private static int intArg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }

    private static double bareJvms(int n) throws Exception {
        long t0 = System.nanoTime();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int i = 0; i < n; i++) {
            Process p = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), Noop.class.getName()).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("bare JVM failed");
            }
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double startCluster(int n, Path logs) throws Exception {
        long t0 = System.nanoTime();
        try (ProcessCluster pc = new ProcessCluster(ProcessCluster.Settings.defaults(logs))) {
            List<String> made = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                pc.createNode(String.valueOf(i), 100, List.copyOf(made));
                made.add(String.valueOf(i));
            }
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    /** Milliseconds for the commands after the CreateNodes. */
    private static double runScript(BankCluster cluster, List<Command> script, int nodes) {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        int[] errors = {0};
        BankRunner runner = new BankRunner(cluster, new Random(1), sink, (line, msg) -> errors[0]++);
        try (cluster) {
            int setup = nodes + 1;
            script.subList(0, setup).forEach(runner::run);
            long t0 = System.nanoTime();
            script.subList(setup, script.size()).forEach(runner::run);
            double ms = (System.nanoTime() - t0) / 1e6;
            if (errors[0] > 0) {
                throw new IllegalStateException(errors[0] + " commands failed in the benchmark script");
            }
            return ms;
        }
    }

    private static List<Command> parse(List<String> lines) throws ScriptParser.ScriptError {
        List<Command> cmds = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            cmds.add(ScriptParser.parse(i + 1, lines.get(i)));
        }
        return cmds;
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
