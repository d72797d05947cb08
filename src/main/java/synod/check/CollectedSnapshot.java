package synod.check;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code CollectState} gathered, as the lines {@code PrintSnapshot} will print: each line is
 * either fixed text or a value of {@link #group()} (a state, or a channel sum plus the amount
 * {@code added} on that channel between the drain and the collection).
 *
 * <p>Invariant: the lines are in the printed order (nodes that recorded, by id; then every ordered
 * pair of distinct nodes by source then destination) and never change after collection; only the
 * group's knowledge of its unknowns narrows as the output shows them.
 */
record CollectedSnapshot(List<Line> lines, SnapshotGroup group) {

    /** One printed line: {@code text} when fixed, else the unknown of {@code node} (channel from {@code from}, or its state). */
    record Line(String text, String node, String from, long added) {
        boolean fixed() {
            return text != null;
        }

        /** The printed text up to the value, e.g. {@code "channel (1 -> 2) = "}. */
        String prefix() {
            return from == null ? "node " + node + " = " : "channel (" + from + " -> " + node + ") = ";
        }
    }

    static CollectedSnapshot of(BankModel m) {
        long s = m.counter;
        List<Line> lines = new ArrayList<>();
        lines.add(fixed("---Node states"));
        for (String id : m.nodes) {
            BankModel.Rec rec = m.recs.get(id);
            if (rec.snap == s) {
                lines.add(rec.grouped ? new Line(null, id, null, 0) : fixed("node " + id + " = " + rec.state));
            }
        }
        lines.add(fixed("---Channel states"));
        for (String from : m.nodes) {
            for (String to : m.nodes) {
                if (from.equals(to)) {
                    continue;
                }
                BankModel.Rec rec = m.recs.get(to);
                // A node that has not recorded this snapshot reports nothing: its channels print 0.
                long sum = rec.snap == s ? rec.sums.getOrDefault(from, 0L) : 0L;
                if (rec.snap == s && rec.grouped && rec.sums.containsKey(from)) {
                    lines.add(new Line(null, to, from, sum));
                } else {
                    lines.add(fixed("channel (" + from + " -> " + to + ") = " + sum));
                }
            }
        }
        return new CollectedSnapshot(List.copyOf(lines), m.group);
    }

    private static Line fixed(String text) {
        return new Line(text, null, null, 0);
    }

    CollectedSnapshot withGroup(SnapshotGroup g) {
        return new CollectedSnapshot(lines, g);
    }
}
