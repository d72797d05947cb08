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
            case "placement":
                return List.of(placement(node));
            default:
                return List.of("unknown query " + q.what());
        }
    }

    /** The longest line an answer keeps whole when the answer would not fit a frame. */
    static final int LINE_CHARS_MAX = 2048;

    /**
     * {@code lines} as an answer that fits a frame of {@code frameBytesMax} (a node that built a
     * larger one would die encoding it): unchanged if they fit; else each line longer than
     * {@link #LINE_CHARS_MAX} is cut, saying how long it was, and if that is not enough, the oldest
     * lines are left out, saying how many.
     */
    static List<String> fit(List<String> lines, int frameBytesMax) {
        long budget = synod.paxos.WireSize.entriesBudget(frameBytesMax);
        if (size(lines) <= budget) {
            return lines;
        }
        List<String> cut = new ArrayList<>(lines.size());
        for (String l : lines) {
            cut.add(l.length() <= LINE_CHARS_MAX ? l
                    : l.substring(0, LINE_CHARS_MAX) + "... (" + l.length() + " chars in all)");
        }
        int from = 0;
        long total = size(cut);
        while (total > budget && from < cut.size()) {
            total -= synod.paxos.WireSize.string(cut.get(from)) + 1;
            from++;
        }
        List<String> kept = new ArrayList<>();
        kept.add("... (" + from + " earlier lines left out: the answer must fit a frame)");
        kept.addAll(cut.subList(from, cut.size()));
        return kept;
    }

    private static long size(List<String> lines) {
        long n = 0;
        for (String l : lines) {
            n += synod.paxos.WireSize.string(l) + 1;
        }
        return n;
    }

    /** "v2: 3001 in c1, 3002 in c3": how many moves this node's mapping took, and where they put each item. */
    private static String placement(PaxosNode node) {
        if (!(node.replica().machine() instanceof synod.app.Services s)) {
            throw new IllegalStateException("node " + node.id() + " does not run the bank");
        }
        List<String> moved = new ArrayList<>();
        s.placement().moved().forEach((item, g) -> moved.add(item + " in c" + g));
        return "v" + s.placement().version() + ": " + (moved.isEmpty() ? "(no item moved)" : String.join(", ", moved));
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
                b.append(' ').append(pv.slot()).append('=').append(LogLine.value(pv.value()));
            }
            if (v.entries().isEmpty()) {
                b.append(" no entries");
            }
            lines.add(b.toString());
        }
        return lines;
    }
}
