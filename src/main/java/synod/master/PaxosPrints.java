package synod.master;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * PrintDB, PrintBalance, PrintStatus, PrintView and PrintLog: the master asks the nodes and prints
 * their answers. PrintDB lists every account, or only those written since opened when the cluster
 * prints modified accounts only (sharded, or a CSE535 Project 3 file); PrintBalance asks the nodes
 * of the item's group.
 */
final class PaxosPrints {
    /** How long a running node may take to answer a print before it is reported silent (a loaded machine can stall a JVM for seconds). */
    static final long ANSWER_MILLIS = 10_000;
    /**
     * How long a state print waits for the reachable nodes of a group to apply the same slot. It
     * returns as soon as they do (or at once when they cannot: no majority), so the bound costs only
     * a node that is catching up: 2 s was too short for one catching up on a whole run's entries
     * on a loaded machine (load 30), which then printed an empty database beside the others.
     */
    static final long SETTLE_MILLIS = 15_000;

    private PaxosPrints() {}

    /**
     * The answers of {@code ids} to {@code what}: null for a node that is down. A running node that
     * is slow to answer is asked again (up to {@link #ANSWER_MILLIS}); if it stays silent, its answer
     * is "(no answer)" and a warning says so: a running node is never printed as not running.
     */
    private static List<List<String>> ask(PaxosCluster cluster, List<String> ids, String what, long arg,
                                          BankRunner.Diagnostics diag, int line) {
        List<List<String>> answers = new ArrayList<>(cluster.queryAll(ids, what, arg, 1000));
        for (int i = 0; i < ids.size(); i++) {
            if (answers.get(i) == null && cluster.running(ids.get(i))) {
                List<String> again = cluster.query(ids.get(i), what, arg, ANSWER_MILLIS);
                if (again == null && cluster.running(ids.get(i))) {
                    diag.warning(line, ids.get(i) + " is running but did not answer within " + ANSWER_MILLIS + " ms");
                    again = List.of("(no answer)");
                }
                answers.set(i, again);
            }
        }
        return answers;
    }

    static void print(PaxosCluster cluster, Command c, PrintStream out, BankRunner.Diagnostics diag) {
        if (c instanceof Command.PrintDB || c instanceof Command.PrintBalance || c instanceof Command.PrintStatus
                || c instanceof Command.PrintPlacement) {
            for (int g = 1; g <= cluster.groups(); g++) {
                cluster.settle(g, SETTLE_MILLIS); // state prints show settled state; views and logs are history
            }
        }
        if (c instanceof Command.PrintStatus s) {
            List<String> ids;
            try {
                ids = cluster.group(cluster.checkGroup(s.group()));
            } catch (BankCluster.ClusterException e) {
                diag.error(c.line(), e.getMessage());
                return;
            }
            List<String> parts = new ArrayList<>();
            List<List<String>> answers = ask(cluster, ids, "status", s.slot(), diag, c.line());
            for (int i = 0; i < ids.size(); i++) {
                List<String> a = answers.get(i);
                parts.add(ids.get(i) + " : " + (a == null ? "X" : a.get(0)));
            }
            out.println(String.join(", ", parts));
        } else if (c instanceof Command.PrintView) {
            Set<String> views = new LinkedHashSet<>();
            for (int g = 1; g <= cluster.groups(); g++) {
                for (List<String> a : ask(cluster, cluster.group(g), "view", 0, diag, c.line())) {
                    if (a != null && !a.equals(List.of("(no answer)"))) {
                        views.addAll(a);
                    }
                }
            }
            views.forEach(out::println);
        } else if (c instanceof Command.PrintDB) {
            boolean modified = cluster.printsModifiedOnly();
            for (int g = 1; g <= cluster.groups(); g++) {
                List<String> ids = cluster.group(g);
                List<List<String>> answers = ask(cluster, ids, modified ? "modified" : "db", 0, diag, c.line());
                for (int i = 0; i < ids.size(); i++) {
                    String id = ids.get(i);
                    List<String> a = answers.get(i);
                    String db = a == null ? "(not running)" : modified && a.get(0).isEmpty() ? "(none)" : a.get(0);
                    out.println(id + " : " + db);
                }
            }
        } else if (c instanceof Command.PrintBalance b) {
            List<String> parts = new ArrayList<>();
            List<String> ids = cluster.group(cluster.groupOfItem(b.account()));
            List<List<String>> answers = ask(cluster, ids, "db", 0, diag, c.line());
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                List<String> a = answers.get(i);
                parts.add(id + " : " + (a == null ? "(not running)" : a.get(0).equals("(no answer)") ? "(no answer)"
                        : balanceIn(a.get(0), b.account())));
            }
            out.println(String.join(", ", parts));
        } else if (c instanceof Command.PrintPlacement) {
            // every node of every group: each holds the whole mapping, the same once quiet
            for (int g = 1; g <= cluster.groups(); g++) {
                List<String> ids = cluster.group(g);
                List<List<String>> answers = ask(cluster, ids, "placement", 0, diag, c.line());
                for (int i = 0; i < ids.size(); i++) {
                    List<String> a = answers.get(i);
                    out.println(ids.get(i) + " : " + (a == null ? "(not running)" : a.get(0)));
                }
            }
        } else if (c instanceof Command.PrintLog l) {
            List<String> a = cluster.query(l.node(), "log", 0, 2000);
            if (a == null) {
                diag.error(c.line(), l.node() + " is not running");
            } else {
                a.forEach(line -> out.println(l.node() + " " + line));
            }
        } else {
            diag.error(c.line(), "not a replicated-service command: " + c);
        }
    }

    /** The balance of {@code account} in a PrintDB body ("A=10, B=8"), or "-" if it has none. */
    private static String balanceIn(String db, String account) {
        for (String part : db.split(", ")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).equals(account)) {
                return part.substring(eq + 1);
            }
        }
        return "-";
    }
}
