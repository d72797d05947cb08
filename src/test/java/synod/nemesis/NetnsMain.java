package synod.nemesis;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The master's side of a nemesis run on a {@link NetnsLab} network, run by {@link NetnsTest} inside
 * the master's namespace ({@code ip netns exec synodPID-m java ... NetnsMain RUN DIR PLAN}): it
 * starts the nodes in theirs, runs the plan's cycles under every workload, checks the history and
 * prints the verdict; exit status 0 when no checker found a violation and every workload had an
 * acknowledged operation, 1 otherwise. PLAN is GROUPSxREPLICAS:KILLS:FAULTS:PARTITIONS:SEED.
 */
public final class NetnsMain {
    private NetnsMain() {}

    public static void main(String[] args) throws Exception {
        String run = args[0];
        Path dir = Path.of(args[1]);
        int[] p = Arrays.stream(args[2].split("[x:]")).mapToInt(Integer::parseInt).toArray();
        NemesisRun.Plan plan = new NemesisRun.Plan(p[0], p[1], p[2], p[3], p[4], p[5]);
        List<String> nodes = java.util.stream.IntStream.rangeClosed(1, plan.groups() * plan.replicas())
                .mapToObj(k -> "n" + k).toList();
        NetnsLab lab = NetnsLab.attach(run, nodes);
        Verdict v;
        NemesisRun r = NemesisRun.start(plan, dir, lab);
        // SIGTERM from the test (its timeout, or Ctrl-C) ends the nodes and the cuts with this process
        Thread hook = new Thread(r::close, "netns-main-close");
        Runtime.getRuntime().addShutdownHook(hook);
        try (r) {
            r.startClients();
            r.runCycles();
            r.stopClients();
            v = new Verdict(r);
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        System.out.println("netns " + plan.name() + ": " + v.acknowledged() + " ops acknowledged, " + v.indeterminate()
                + " indeterminate, longest unavailability " + v.longestGap + "; cycles " + v.events + "; violations "
                + v.violations + (v.notes.isEmpty() ? "" : "; " + v.notes));
        boolean everyWorkload = v.ops.getOrDefault("bank", new long[2])[0] > 0
                && v.ops.getOrDefault("kv", new long[2])[0] > 0 && v.ops.getOrDefault("locks", new long[2])[0] > 0;
        if (!everyWorkload) {
            System.out.println("netns: a workload had no acknowledged operation: " + v.ops.keySet());
        }
        System.out.println(v.violations.isEmpty() && everyWorkload ? "netns: PASS" : "netns: FAIL");
        System.exit(v.violations.isEmpty() && everyWorkload ? 0 : 1);
    }
}
