package synod.master;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** PrintStatus, PrintView and PrintLog: the master asks the nodes and prints their answers. */
final class PaxosPrints {
    private PaxosPrints() {}

    static void print(PaxosCluster cluster, Command c, PrintStream out, BankRunner.Diagnostics diag) {
        if (c instanceof Command.PrintDB || c instanceof Command.PrintBalance || c instanceof Command.PrintStatus) {
            for (int g = 1; g <= cluster.groups(); g++) {
                cluster.settle(g, 2000); // state prints show settled state; views and logs are history
            }
        }
        if (c instanceof Command.PrintStatus s) {
            List<String> parts = new ArrayList<>();
            for (String id : cluster.group(Math.min(s.group(), cluster.groups()))) {
                List<String> a = cluster.query(id, "status", s.slot(), 1000);
                parts.add(id + " : " + (a == null ? "X" : a.get(0)));
            }
            out.println(String.join(", ", parts));
        } else if (c instanceof Command.PrintView) {
            Set<String> views = new LinkedHashSet<>();
            for (int g = 1; g <= cluster.groups(); g++) {
                for (String id : cluster.group(g)) {
                    List<String> a = cluster.query(id, "view", 0, 1000);
                    if (a != null) {
                        views.addAll(a);
                    }
                }
            }
            views.forEach(out::println);
        } else if (c instanceof Command.PrintDB) {
            for (int g = 1; g <= cluster.groups(); g++) {
                for (String id : cluster.group(g)) {
                    List<String> a = cluster.query(id, "db", 0, 1000);
                    out.println(id + " : " + (a == null ? "(not running)" : a.get(0)));
                }
            }
        } else if (c instanceof Command.PrintBalance b) {
            List<String> parts = new ArrayList<>();
            for (String id : cluster.group(1)) {
                List<String> a = cluster.query(id, "db", 0, 1000);
                parts.add(id + " : " + (a == null ? "-" : balanceIn(a.get(0), b.account())));
            }
            out.println(String.join(", ", parts));
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
