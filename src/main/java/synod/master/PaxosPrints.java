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
    private PaxosPrints() {}

    static void print(PaxosCluster cluster, Command c, PrintStream out, BankRunner.Diagnostics diag) {
        if (c instanceof Command.PrintDB || c instanceof Command.PrintBalance || c instanceof Command.PrintStatus) {
            for (int g = 1; g <= cluster.groups(); g++) {
                cluster.settle(g, 2000); // state prints show settled state; views and logs are history
            }
        }
        if (c instanceof Command.PrintStatus s && s.group() > cluster.groups()) {
            diag.error(c.line(), "no group " + s.group() + " (the cluster has " + cluster.groups() + ")");
        } else if (c instanceof Command.PrintStatus s) {
            List<String> parts = new ArrayList<>();
            for (String id : cluster.group(s.group())) {
                List<String> a = cluster.query(id, "status", s.slot(), 1000);
                parts.add(id + " : " + (a == null ? "X" : a.get(0)));
            }
            out.println(String.join(", ", parts));
        } else if (c instanceof Command.PrintView) {
            Set<String> views = new LinkedHashSet<>();
            for (int g = 1; g <= cluster.groups(); g++) {
                for (List<String> a : cluster.queryAll(cluster.group(g), "view", 0, 1000)) {
                    if (a != null) {
                        views.addAll(a);
                    }
                }
            }
            views.forEach(out::println);
        } else if (c instanceof Command.PrintDB) {
            boolean modified = cluster.printsModifiedOnly();
            for (int g = 1; g <= cluster.groups(); g++) {
                List<String> ids = cluster.group(g);
                List<List<String>> answers = cluster.queryAll(ids, modified ? "modified" : "db", 0, 1000);
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
            List<List<String>> answers = cluster.queryAll(ids, "db", 0, 1000);
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                List<String> a = answers.get(i);
                parts.add(id + " : " + (a == null ? "(not running)" : balanceIn(a.get(0), b.account())));
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
