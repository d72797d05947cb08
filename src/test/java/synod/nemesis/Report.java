package synod.nemesis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** docs/reliability.md from the verdicts of a full nemesis run. */
final class Report {
    /** Below this line docs/reliability.md is written by hand, and kept when a run rewrites the figures above it. */
    static final String NOTES = "<!-- notes below: written by hand, kept by make nemesis -->";

    private Report() {}

    static void write(Path file, List<Verdict> verdicts, long seed, long seconds) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("# Reliability: the nemesis suite\n\n");
        s.append("Figures of `make nemesis` (seed ").append(seed).append("), taken ")
                .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                .append(" in ").append(seconds / 60).append(" min ").append(seconds % 60).append(" s on a loaded 2-core "
                + "machine (shared with three other builds and test runs at the time), so the times below are upper "
                + "bounds of what the protocol needs, not measurements of it.\n\n");
        s.append("""
                What a run does (`src/test/java/synod/nemesis`): real node JVMs on loopback, spawned, killed with kill -9
                and restarted by the master's `PaxosCluster`, on a private block of ports (`PortBlock`). Clients in
                threads keep the cluster under load (each sends its next request as soon as the last is answered) and
                record every operation's invocation, completion and result; one that gets no answer within 4 s is
                indeterminate (it may or may not have taken effect). From the seed, a nemesis runs one fault per cycle:
                kill -9 of the leader or of random nodes (two at once on five), the log's tail torn while a node is down
                (garbage, half a record, or 512 NUL bytes), then a restart; SIGSTOP of a node for 0.5-2 s, then SIGCONT;
                a cut-off (the master's SetLive: the node cannot reach its peers) for 0.5-2 s, then the heal; message
                loss (the master's SetDropRate: every node drops 20-50% of what it sends) for 0.5-2 s; a latency
                spike (the master's SetDelay: every node sends each message 5-50 ms late plus a seeded jitter of up
                to as much again, each link in order) for 0.5-2 s. After each cycle it waits for a leader and for
                every node it touched to execute as far as the leader had.

                The checkers: every key of the key-value store linearizable (Wing-Gong search with Lowe's memoisation,
                per key); the bank conserves money, no balance read or closing balance is negative, and the closing
                balances are the opening ones moved by every acknowledged transfer plus some subset of the
                indeterminate ones; locks: holds ordered by fencing token never overlap, no token is granted twice.
                The checkers are tested on their own with histories they must accept and ones they must reject
                (`CheckersTest`).

                """);
        long kills = 0;
        long faults = 0;
        long violations = 0;
        for (Verdict v : verdicts) {
            kills += v.count("kill -9");
            faults += v.count("SIGSTOP") + v.count("cut-off") + v.count("message loss") + v.count("latency spike");
            violations += v.violations.size();
        }
        s.append("**In all: ").append(kills).append(" kill -9 cycles, ").append(faults)
                .append(" pause, cut-off, message-loss and latency cycles, ").append(violations).append(" violations.**\n\n");
        s.append("| cluster | kill -9 (of leader, two at once) | torn tails | SIGSTOP (of leader) | cut-offs (of leader) "
                + "| message loss | latency spikes | ops acknowledged | indeterminate | violations |\n"
                + "|---|---|---|---|---|---|---|---|---|---|\n");
        for (Verdict v : verdicts) {
            s.append("| ").append(v.plan.name()).append(" | ").append(v.count("kill -9")).append(" (")
                    .append(v.countOfLeader("kill -9")).append(", ").append(v.countMulti("kill -9")).append(") | ")
                    .append(v.tornTails).append(" | ").append(v.count("SIGSTOP")).append(" (")
                    .append(v.countOfLeader("SIGSTOP")).append(") | ").append(v.count("cut-off")).append(" (")
                    .append(v.countOfLeader("cut-off")).append(") | ").append(v.count("message loss")).append(" | ")
                    .append(v.count("latency spike")).append(" | ")
                    .append(v.acknowledged()).append(" | ")
                    .append(v.indeterminate()).append(" | ").append(v.violations.size()).append(" |\n");
        }
        for (Verdict v : verdicts) {
            s.append("\n## ").append(v.plan.name()).append("\n\n");
            s.append("Operations by workload (acknowledged / indeterminate):");
            v.ops.forEach((w, n) -> s.append(" ").append(w).append(" ").append(n[0]).append(" / ").append(n[1]).append(";"));
            s.setLength(s.length() - 1);
            s.append(".\n\n");
            s.append("Longest unavailability (no definite answer to any client of a workload): ").append(v.longestGap)
                    .append(".\n\n");
            s.append("| fault | cycles | outage (ms: median / 90th pct / max) | catch-up after the heal (ms: median / 90th "
                    + "pct / max) |\n|---|---|---|---|\n");
            for (String kind : List.of("kill -9", "SIGSTOP", "cut-off", "message loss", "latency spike")) {
                boolean first = true;
                for (boolean ofLeader : new boolean[] {true, false}) {
                    List<Long> out = v.outages(kind, ofLeader);
                    if (!out.isEmpty()) {
                        String whom = kind.equals("message loss") || kind.equals("latency spike") ? " (every node)" : ofLeader ? " of the leader"
                                : " of another node";
                        s.append("| ").append(kind).append(whom).append(" | ").append(out.size()).append(" | ")
                                .append(spread(out)).append(" | ").append(first ? spread(v.recoveries(kind))
                                + " (every " + kind + ")" : "").append(" |\n");
                        first = false;
                    }
                }
            }
            s.append("\nOutage: the longest time from the fault's start, until the cluster was whole again, in which no "
                    + "client got a definite answer. Catch-up: from the heal (for kill -9, from the restarted JVM's "
                    + "connection) until the node had executed as far as the leader had.\n\n");
            List<Long> restarts = v.restarts();
            if (!restarts.isEmpty()) {
                s.append("Restart after kill -9 (spawn of the JVM until it connected; the machine's load, not the "
                        + "protocol), ms: ").append(spread(restarts)).append(".\n\n");
                s.append("Recovery time after each restart (catch-up, ms, in order): ")
                        .append(v.events.stream().filter(e -> e.restartMillis() >= 0)
                                .map(e -> String.valueOf(e.recoveredMillis())).toList()).append(".\n\n");
            }
            if (v.violations.isEmpty()) {
                s.append("Violations: none.\n");
            } else {
                s.append("Violations:\n\n");
                v.violations.forEach(x -> s.append("```\n").append(x).append("\n```\n"));
            }
            v.notes.forEach(x -> s.append("\nNote: ").append(x).append("\n"));
        }
        // notes a person wrote below the marker, on what earlier figures showed, survive a new run
        String old = Files.exists(file) ? Files.readString(file) : "";
        int notes = old.indexOf(NOTES);
        s.append("\n").append(notes >= 0 ? old.substring(notes) : NOTES + "\n");
        Files.writeString(file, s.toString());
    }

    /** Median / 90th percentile / max of sorted {@code ms}. */
    private static String spread(List<Long> ms) {
        return ms.isEmpty() ? "-" : ms.get(ms.size() / 2) + " / " + ms.get(ms.size() * 9 / 10) + " / " + ms.get(ms.size() - 1);
    }
}
