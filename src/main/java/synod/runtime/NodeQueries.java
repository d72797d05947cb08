package synod.runtime;

import java.util.ArrayList;
import java.util.List;
import synod.paxos.PValue;
import synod.paxos.PaxosMsg;
import synod.paxos.PaxosNode;
import synod.paxos.Request;

/** Answers the master's questions about a node (for PrintStatus, PrintLog, PrintView, checks). */
final class NodeQueries {
    private NodeQueries() {}

    static List<String> answer(PaxosNode node, List<String> group, History history, Control.Query q) {
        switch (q.what()) {
            case "info":
                var accepted = node.acceptor().acceptedView();
                long lastAccepted = accepted.isEmpty() ? -1 : accepted.lastKey();
                return List.of((node.isLeader() ? "leader" : "follower"), String.valueOf(node.leaderId()),
                        String.valueOf(node.ballot()), String.valueOf(node.replica().slotOut()),
                        String.valueOf(node.replica().checkpointSlot()), String.valueOf(lastAccepted));
            case "status":
                return List.of(String.valueOf(node.status(q.arg())));
            case "log":
                return history.lines();
            case "view":
                return views(node.views(), group);
            case "state":
                return List.of(node.replica().machine().snapshot().toString());
            case "db":
                return List.of(bank(node).describe());
            case "modified":
                return List.of(bank(node).describeModified());
            default:
                return List.of("unknown query " + q.what());
        }
    }

    private static synod.app.BankLedger bank(PaxosNode node) {
        if (!(node.replica().machine() instanceof synod.app.Services s)) {
            throw new IllegalStateException("node " + node.id() + " does not run the bank");
        }
        return s.bank();
    }

    private static List<String> views(List<PaxosMsg.NewView> views, List<String> group) {
        List<String> lines = new ArrayList<>();
        for (PaxosMsg.NewView v : views) {
            StringBuilder b = new StringBuilder("NEW-VIEW ballot " + v.ballot() + " from " + group.get(v.ballot().node() - 1)
                    + " slots " + v.fromSlot() + "..:");
            for (PValue pv : v.entries()) {
                b.append(' ').append(pv.slot()).append('=').append(describe(pv));
            }
            if (v.entries().isEmpty()) {
                b.append(" no entries");
            }
            lines.add(b.toString());
        }
        return lines;
    }

    private static String describe(PValue pv) {
        if (pv.value().noop()) {
            return "no-op";
        }
        List<String> rs = new ArrayList<>();
        for (Request r : pv.value().requests()) {
            rs.add(r.client() + "#" + r.seq() + " " + r.op());
        }
        return rs.toString();
    }
}
