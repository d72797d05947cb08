package synod.nemesis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import synod.app.Op;
import synod.app.Result;

/**
 * Linearizability of the key-value store, key by key (a history is linearizable iff each key's
 * is: Herlihy and Wing's locality). Each key is a register; the search is Wing and Gong's, with
 * Lowe's memoisation (a set of (operations linearized, register value) already explored), as
 * Knossos and Porcupine do it. An indeterminate operation may take effect at any time after its
 * invocation or never: its return is placed after everything (linearizing a write last is the same
 * as never, since nothing reads it), and an indeterminate read constrains nothing and is dropped.
 * An operation refused with a definite error (Aborted) changed nothing and is dropped too.
 */
final class Linearizability {
    /** The first key whose history is not linearizable, with that history; null key if all are. */
    record Verdict(String key, List<History.Entry> history) {
        boolean ok() {
            return key == null;
        }
    }

    private Linearizability() {}

    static Verdict checkKv(List<History.Entry> all) {
        Map<String, List<History.Entry>> byKey = new TreeMap<>();
        for (History.Entry e : all) {
            String key = key(e.op());
            if (key == null || e.result() instanceof Result.Aborted) {
                continue;
            }
            if (e.indeterminate() && e.op() instanceof Op.Get) {
                continue;
            }
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
        }
        for (var k : byKey.entrySet()) {
            if (!linearizable(k.getValue())) {
                return new Verdict(k.getKey(), k.getValue());
            }
        }
        return new Verdict(null, List.of());
    }

    static String key(Op op) {
        if (op instanceof Op.Put p) {
            return p.key();
        }
        if (op instanceof Op.Get g) {
            return g.key();
        }
        if (op instanceof Op.Delete d) {
            return d.key();
        }
        return null;
    }

    /** The register after {@code e} from {@code value}, or {@link #ILLEGAL} if {@code e} cannot happen there. */
    private static Object step(Object value, History.Entry e) {
        Result r = e.result();
        if (e.op() instanceof Op.Put p) {
            return r == null || r instanceof Result.Ok ? p.value() : ILLEGAL;
        }
        if (e.op() instanceof Op.Get) {
            if (r instanceof Result.Value v) {
                return v.value().equals(value) ? value : ILLEGAL;
            }
            return r instanceof Result.NotFound && value == ABSENT ? value : ILLEGAL;
        }
        // Delete
        if (r == null) {
            return ABSENT;
        }
        if (r instanceof Result.Ok) {
            return value != ABSENT ? ABSENT : ILLEGAL;
        }
        return r instanceof Result.NotFound && value == ABSENT ? ABSENT : ILLEGAL;
    }

    private static final Object ABSENT = new Object() {
        @Override
        public String toString() {
            return "absent";
        }
    };
    private static final Object ILLEGAL = new Object();

    /** A call or return in the doubly linked list of events the search lifts operations out of. */
    private static final class Node {
        final int op;
        final boolean call;
        final long at;
        Node match;
        Node prev;
        Node next;

        Node(int op, boolean call, long at) {
            this.op = op;
            this.call = call;
            this.at = at;
        }
    }

    private record Seen(BitSet linearized, Object value) {}

    private record Frame(Node call, Object value) {}

    /** Wing-Gong-Lowe over one register's history, starting absent. */
    static boolean linearizable(List<History.Entry> ops) {
        List<Node> events = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            History.Entry e = ops.get(i);
            Node call = new Node(i, true, e.invoked());
            Node ret = new Node(i, false, e.completed());
            call.match = ret;
            events.add(call);
            events.add(ret);
        }
        // by time; at a tie a call comes first (the two overlap: the weaker order)
        events.sort(Comparator.comparingLong((Node n) -> n.at).thenComparing(n -> !n.call));
        Node head = new Node(-1, false, Long.MIN_VALUE);
        Node last = head;
        for (Node n : events) {
            last.next = n;
            n.prev = last;
            last = n;
        }
        Object value = ABSENT;
        BitSet linearized = new BitSet(ops.size());
        Set<Seen> cache = new HashSet<>();
        ArrayDeque<Frame> stack = new ArrayDeque<>();
        Node entry = head.next;
        while (head.next != null) {
            if (entry.call) {
                Object next = step(value, ops.get(entry.op));
                if (next != ILLEGAL) {
                    BitSet with = (BitSet) linearized.clone();
                    with.set(entry.op);
                    if (cache.add(new Seen(with, next))) {
                        stack.push(new Frame(entry, value));
                        value = next;
                        linearized.set(entry.op);
                        lift(entry);
                        entry = head.next;
                        continue;
                    }
                }
                entry = entry.next;
            } else {
                if (stack.isEmpty()) {
                    return false;
                }
                Frame f = stack.pop();
                value = f.value();
                linearized.clear(f.call().op);
                unlift(f.call());
                entry = f.call().next;
            }
        }
        return true;
    }

    private static void lift(Node call) {
        call.prev.next = call.next;
        call.next.prev = call.prev;
        Node ret = call.match;
        ret.prev.next = ret.next;
        if (ret.next != null) {
            ret.next.prev = ret.prev;
        }
    }

    private static void unlift(Node call) {
        Node ret = call.match;
        ret.prev.next = ret;
        if (ret.next != null) {
            ret.next.prev = ret;
        }
        call.prev.next = call;
        call.next.prev = call;
    }

    /** For a report: a history's lines, oldest first. */
    static List<String> lines(List<History.Entry> h) {
        return h.stream().sorted(Comparator.comparingLong(History.Entry::invoked)).map(Objects::toString).toList();
    }
}
