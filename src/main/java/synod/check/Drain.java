package synod.check;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import synod.core.NodeIds;

/**
 * {@code ReceiveAll} in the oracle: every channel is drained in some hidden order, and this class
 * works out, without enumerating orders, everything that order can influence.
 *
 * <p>Why this is exact. During a ReceiveAll no transfer is created, so a marker a node appends when
 * it records lands behind everything already queued on that channel: its position does not depend
 * on when it is appended. Let S be the current snapshot. Markers of older snapshots never change
 * anything that can be collected again (collection is always for S, and a node reports nothing
 * for an older snapshot). Hence:
 * <ul>
 *   <li>balances and every node's final snapshot number are fixed (a node ends at the largest
 *       snapshot whose marker reaches it, and a node that records sends that marker to all);</li>
 *   <li>a node that already recorded S records, on each open channel, every transfer queued ahead
 *       of that channel's first S marker (all of them if none is queued), whatever the order;</li>
 *   <li>a node T that records S during the drain is described by the channel its first S marker
 *       comes on and, for each other incoming channel, how many queued messages it takes before
 *       that; any such choice is realisable iff the "first marker came from" relation reaches a
 *       channel with an already-queued S marker without a cycle. {@link SnapshotGroup} keeps
 *       these choices.</li>
 * </ul>
 * Invariant kept: after {@link #run} every channel is empty and the model's exact parts are exact.
 */
final class Drain {
    private Drain() {}

    static void run(BankModel m) {
        long s = m.counter;
        Map<String, Long> last = finalSnapshots(m);
        Set<String> fresh = new TreeSet<>(NodeIds.ORDER);
        for (String id : m.nodes) {
            if (m.recs.get(id).snap < s && last.get(id) == s) {
                fresh.add(id);
            }
        }
        if (!fresh.isEmpty()) {
            if (m.group != null) {
                // All S markers were drained by the ReceiveAll that formed the group; none is made after.
                throw new IllegalStateException("second group of unknowns for snapshot " + s);
            }
            m.group = SnapshotGroup.build(m, s, fresh);
        }
        for (String id : m.nodes) {
            BankModel.Rec rec = m.recs.get(id);
            if (rec.snap == s && s > 0) {
                settleOpen(m, id, rec, s, fresh);
            } else if (fresh.contains(id)) {
                m.recs.put(id, groupedRec(m, id, s, fresh));
            } else if (last.get(id) > rec.snap) {
                // Recorded an older snapshot during the drain: nothing of it can be collected again.
                BankModel.Rec stale = new BankModel.Rec();
                stale.snap = last.get(id);
                m.recs.put(id, stale);
            }
        }
        m.queues.forEach((ch, q) -> {
            m.balance.merge(ch.to(), transfersBefore(q, -1), Long::sum);
            q.clear();
        });
    }

    /** The largest snapshot each node will have seen once every channel is empty (a fixpoint). */
    private static Map<String, Long> finalSnapshots(BankModel m) {
        Map<String, Long> last = new TreeMap<>(NodeIds.ORDER);
        for (String id : m.nodes) {
            long v = m.recs.get(id).snap;
            for (String p : m.peers(id)) {
                for (Msg msg : m.queue(p, id)) {
                    if (msg.marker()) {
                        v = Math.max(v, msg.value());
                    }
                }
            }
            last.put(id, v);
        }
        for (boolean changed = true; changed; ) {
            changed = false;
            for (String id : m.nodes) {
                long v = last.get(id);
                if (v <= m.recs.get(id).snap) {
                    continue; // records nothing new, so sends no new marker
                }
                for (String p : m.peers(id)) {
                    if (last.get(p) < v) {
                        last.put(p, v);
                        changed = true;
                    }
                }
            }
        }
        return last;
    }

    /** A node that already recorded S: each open channel records up to its S marker and closes if one comes. */
    private static void settleOpen(BankModel m, String id, BankModel.Rec rec, long s, Set<String> fresh) {
        for (String from : new TreeSet<>(rec.open)) {
            ArrayDeque<Msg> q = m.queue(from, id);
            rec.sums.merge(from, transfersBefore(q, s), Long::sum);
            if (hasMarker(q, s) || fresh.contains(from)) {
                rec.open.remove(from);
            }
        }
    }

    /** A node recording S during the drain; its state and base sums live in the group. */
    private static BankModel.Rec groupedRec(BankModel m, String id, long s, Set<String> fresh) {
        BankModel.Rec rec = new BankModel.Rec();
        rec.snap = s;
        rec.grouped = true;
        for (String p : m.peers(id)) {
            rec.sums.put(p, 0L);
            // Stays open only when no S marker will ever come on it (its sender recorded before this node existed).
            if (!hasMarker(m.queue(p, id), s) && !fresh.contains(p)) {
                rec.open.add(p);
            }
        }
        return rec;
    }

    /** Sum of the transfers queued ahead of the first marker of {@code snap} (all of them when there is none). */
    static long transfersBefore(ArrayDeque<Msg> q, long snap) {
        long sum = 0;
        for (Msg msg : q) {
            if (msg.marker() && msg.value() == snap) {
                break;
            }
            if (!msg.marker()) {
                sum += msg.value();
            }
        }
        return sum;
    }

    static boolean hasMarker(ArrayDeque<Msg> q, long snap) {
        for (Msg msg : q) {
            if (msg.marker() && msg.value() == snap) {
                return true;
            }
        }
        return false;
    }
}
