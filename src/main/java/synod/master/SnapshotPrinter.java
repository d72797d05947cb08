package synod.master;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import synod.snapshot.BankMsg;

/** Formats a collected snapshot exactly as the CS380D spec prints it. */
public final class SnapshotPrinter {
    private SnapshotPrinter() {}

    /**
     * {@code nodes} in reading order; {@code reports} by node id. A node that has not recorded is
     * left out of the node states (there is no state to print); its incoming channels print 0.
     */
    public static List<String> lines(Collection<String> nodes, Map<String, BankMsg.Report> reports) {
        List<String> lines = new ArrayList<>();
        lines.add("---Node states");
        for (String id : nodes) {
            Long state = reports.get(id).state();
            if (state != null) {
                lines.add("node " + id + " = " + state);
            }
        }
        lines.add("---Channel states");
        for (String from : nodes) {
            for (String to : nodes) {
                if (!from.equals(to)) {
                    long sum = reports.get(to).channels().getOrDefault(from, 0L);
                    lines.add("channel (" + from + " -> " + to + ") = " + sum);
                }
            }
        }
        return lines;
    }
}
