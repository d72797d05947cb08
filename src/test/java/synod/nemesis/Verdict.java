package synod.nemesis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import synod.app.Op;

/**
 * What the checkers make of one {@link NemesisRun}: linearizability of every key, the bank's
 * invariants, mutual exclusion of every lock, and the run's figures (faults, operations
 * acknowledged and indeterminate, the longest time no client got an answer and which fault it
 * fell in, recovery times).
 */
final class Verdict {
    final NemesisRun.Plan plan;
    final List<String> violations = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    /** Operations by workload: [acknowledged, indeterminate]. */
    final Map<String, long[]> ops = new TreeMap<>();
    final List<NemesisRun.Event> events;
    final int tornTails;
    String longestGap = "none";
    /** When the workload clients got definite answers, sorted (ns into the run). */
    private long[] answered = new long[0];
    long longestGapMillis;

    Verdict(NemesisRun run) {
        this.plan = run.plan;
        this.events = List.copyOf(run.events);
        this.tornTails = run.tornTails;
        List<History.Entry> h = run.history.entries();
        violations.addAll(run.problems);
        Linearizability.Verdict kv = Linearizability.checkKv(h);
        if (!kv.ok()) {
            List<String> lines = Linearizability.lines(kv.history());
            violations.add("key " + kv.key() + " is not linearizable; its history (" + lines.size() + " ops):\n    "
                    + String.join("\n    ", lines.subList(0, Math.min(lines.size(), 60))));
        }
        for (String v : BankCheck.check(run.opening, h, run.closing)) {
            (v.startsWith("undecided: ") ? notes : violations).add("bank: " + v);
        }
        LockCheck.check(h).forEach(v -> violations.add("locks: " + v));
        for (History.Entry e : h) {
            long[] n = ops.computeIfAbsent(workload(e), k -> new long[2]);
            n[e.indeterminate() ? 1 : 0]++;
        }
        gaps(h);
    }

    static String workload(History.Entry e) {
        Op op = e.op();
        if (op instanceof Op.Put || op instanceof Op.Get || op instanceof Op.Delete) {
            return "kv";
        }
        if (op instanceof Op.Lock || op instanceof Op.Unlock) {
            return "locks";
        }
        return "bank";
    }

    /** The longest stretch in which no client of a workload got a definite answer, and the fault it fell in. */
    private void gaps(List<History.Entry> h) {
        answered = h.stream().filter(e -> !e.indeterminate() && e.process().matches("(kv|bank|lock)\\d+"))
                .mapToLong(History.Entry::completed).sorted().toArray();
        Map<String, List<Long>> done = new TreeMap<>();
        for (History.Entry e : h) {
            if (!e.indeterminate() && e.process().matches("(kv|bank|lock)\\d+")) {
                done.computeIfAbsent(workload(e), k -> new ArrayList<>()).add(e.completed());
            }
        }
        for (var w : done.entrySet()) {
            List<Long> t = w.getValue();
            t.sort(Comparator.naturalOrder());
            for (int i = 1; i < t.size(); i++) {
                long gap = t.get(i) - t.get(i - 1);
                if (gap / 1_000_000 > longestGapMillis) {
                    longestGapMillis = gap / 1_000_000;
                    longestGap = String.format("%d ms for %s (%.1f s .. %.1f s), during %s", longestGapMillis, w.getKey(),
                            t.get(i - 1) / 1e9, t.get(i) / 1e9, cause(t.get(i - 1), t.get(i)));
                }
            }
        }
    }

    private String cause(long from, long to) {
        List<String> during = new ArrayList<>();
        for (NemesisRun.Event e : events) {
            if (e.start() <= to && e.over() >= from) {
                during.add(e.toString());
            }
        }
        return during.isEmpty() ? "no fault (load)" : String.join(", ", during);
    }

    long count(String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).count();
    }

    long countOfLeader(String kind) {
        return events.stream().filter(e -> e.kind().equals(kind) && e.leader()).count();
    }

    long countMulti(String kind) {
        return events.stream().filter(e -> e.kind().equals(kind) && e.nodes().size() > 1).count();
    }

    /** Catch-up times (heal or reconnection to caught up) of the cycles of {@code kind}, sorted (ms). */
    List<Long> recoveries(String kind) {
        return events.stream().filter(e -> e.kind().equals(kind) && e.recoveredMillis() >= 0)
                .map(NemesisRun.Event::recoveredMillis).sorted().toList();
    }

    /** JVM restart times (spawn to connected) of the kill -9 cycles, sorted (ms). */
    List<Long> restarts() {
        return events.stream().filter(e -> e.restartMillis() >= 0).map(NemesisRun.Event::restartMillis).sorted().toList();
    }

    /**
     * Outages of the cycles of {@code kind} that did ({@code ofLeader}) or did not strike the leader,
     * sorted (ms): for each, the longest time from the fault's start, within the fault, in which no
     * client got a definite answer.
     */
    List<Long> outages(String kind, boolean ofLeader) {
        return events.stream().filter(e -> e.kind().equals(kind) && e.leader() == ofLeader).map(this::outage)
                .sorted().toList();
    }

    private long outage(NemesisRun.Event e) {
        long worst = 0;
        for (int i = 0; i + 1 < answered.length; i++) {
            if (answered[i + 1] >= e.start() && answered[i] <= e.over()) {
                worst = Math.max(worst, answered[i + 1] - Math.max(answered[i], e.start()));
            }
        }
        return worst / 1_000_000;
    }

    long acknowledged() {
        return ops.values().stream().mapToLong(n -> n[0]).sum();
    }

    long indeterminate() {
        return ops.values().stream().mapToLong(n -> n[1]).sum();
    }
}
