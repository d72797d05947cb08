package synod.check;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import synod.core.NodeIds;

/**
 * The snapshot recordings one {@code ReceiveAll} may have produced for the nodes that recorded
 * during it (see {@link Drain} for why this description is exact), narrowed by what the output has
 * shown of them so far.
 *
 * <p>Each member node T has one {@link Candidate} per channel its first marker may have come on.
 * A candidate keeps, for each other incoming channel, the set of amounts T may have taken from it
 * before recording, and the state the output showed (if it did). A combination of candidates is
 * possible iff following "first marker came from" always ends at a channel whose marker was
 * already queued; because choices of different nodes are otherwise independent, the whole group is
 * possible iff the fixpoint in {@link #feasible()} resolves every member.
 *
 * <p>Invariant: the possible recordings are exactly the feasible combinations of live candidates.
 */
final class SnapshotGroup {
    /** Node T's first marker came on the channel from {@link #from}. */
    static final class Candidate {
        final String from;
        /** True when that marker was queued before the drain began (no other member must record first). */
        final boolean root;
        /** Transfers T took from {@link #from} before the marker. */
        final long firstTaken;
        /** Per other incoming channel: the amounts T may have taken from it before recording. */
        final Map<String, TreeSet<Long>> taken = new TreeMap<>(NodeIds.ORDER);
        /** Per other incoming channel: transfers queued ahead of its marker (all, if it has none queued). */
        final Map<String, Long> total = new TreeMap<>(NodeIds.ORDER);
        Long shownState;
        boolean dead;

        Candidate(String from, boolean root, long firstTaken) {
            this.from = from;
            this.root = root;
            this.firstTaken = firstTaken;
        }

        Candidate copy() {
            Candidate c = new Candidate(from, root, firstTaken);
            taken.forEach((k, v) -> c.taken.put(k, new TreeSet<>(v)));
            c.total.putAll(total);
            c.shownState = shownState;
            c.dead = dead;
            return c;
        }
    }

    /** Upper bound on a node's possible states, beyond which the oracle gives up rather than crawl. */
    private static final int MAX_STATES = 1_000_000;

    /** Member node to its balance when the drain began. */
    private final Map<String, Long> startBalance = new TreeMap<>(NodeIds.ORDER);
    private final Map<String, List<Candidate>> candidates = new TreeMap<>(NodeIds.ORDER);

    /** Builds the group from the channels as they are when the drain begins. */
    static SnapshotGroup build(BankModel m, long snap, Set<String> members) {
        SnapshotGroup g = new SnapshotGroup();
        for (String t : members) {
            g.startBalance.put(t, m.balance.get(t));
            List<Candidate> list = new ArrayList<>();
            for (String i : m.peers(t)) {
                ArrayDeque<Msg> qi = m.queue(i, t);
                boolean root = Drain.hasMarker(qi, snap);
                if (!root && !members.contains(i)) {
                    continue; // no marker of this snapshot will ever come on this channel
                }
                Candidate c = new Candidate(i, root, Drain.transfersBefore(qi, snap));
                for (String k : m.peers(t)) {
                    if (!k.equals(i)) {
                        ArrayDeque<Msg> qk = m.queue(k, t);
                        c.taken.put(k, prefixSums(qk, snap));
                        c.total.put(k, Drain.transfersBefore(qk, snap));
                    }
                }
                list.add(c);
            }
            g.candidates.put(t, list);
        }
        return g;
    }

    /** Transfer sums of every prefix of {@code q} that stops before its first marker of {@code snap}. */
    private static TreeSet<Long> prefixSums(ArrayDeque<Msg> q, long snap) {
        TreeSet<Long> sums = new TreeSet<>();
        long sum = 0;
        sums.add(sum);
        for (Msg msg : q) {
            if (msg.marker() && msg.value() == snap) {
                break;
            }
            if (!msg.marker()) {
                sum += msg.value();
                sums.add(sum);
            }
        }
        return sums;
    }

    SnapshotGroup copy() {
        SnapshotGroup g = new SnapshotGroup();
        g.startBalance.putAll(startBalance);
        candidates.forEach((t, list) -> g.candidates.put(t, new ArrayList<>(list.stream().map(Candidate::copy).toList())));
        return g;
    }

    boolean contains(String node) {
        return candidates.containsKey(node);
    }

    /** The output showed {@code node = value}. */
    void showState(String node, long value) {
        for (Candidate c : candidates.get(node)) {
            if (c.shownState != null && c.shownState != value) {
                c.dead = true;
            }
            c.shownState = value;
        }
    }

    /** The output showed channel (from -> node) = value, where {@code added} came on it after the drain. */
    void showChannel(String node, String from, long value, long added) {
        for (Candidate c : candidates.get(node)) {
            if (c.from.equals(from)) {
                c.dead |= value != added; // the channel the first marker came on is recorded empty
            } else {
                long took = c.total.get(from) - (value - added);
                TreeSet<Long> allowed = c.taken.get(from);
                boolean ok = allowed.contains(took);
                allowed.clear();
                if (ok) {
                    allowed.add(took);
                } else {
                    c.dead = true;
                }
            }
        }
    }

    /** True when some combination of live candidates is realisable (every member resolved). */
    boolean feasible() {
        return resolve(null, null) == candidates.size();
    }

    /** Counts the members the fixpoint resolves; {@code only}, when given, is the sole candidate allowed for {@code node}. */
    private int resolve(String node, Candidate only) {
        Map<Candidate, Boolean> live = new HashMap<>();
        Set<String> resolved = new HashSet<>();
        for (boolean changed = true; changed; ) {
            changed = false;
            for (var e : candidates.entrySet()) {
                if (resolved.contains(e.getKey())) {
                    continue;
                }
                for (Candidate c : e.getValue()) {
                    if (node != null && e.getKey().equals(node) && c != only) {
                        continue;
                    }
                    if ((c.root || resolved.contains(c.from)) && live.computeIfAbsent(c, x -> alive(e.getKey(), x))) {
                        resolved.add(e.getKey());
                        changed = true;
                        break;
                    }
                }
            }
        }
        return resolved.size();
    }

    /** A candidate is alive when its own constraints can all be met. */
    private boolean alive(String node, Candidate c) {
        if (c.dead || c.taken.values().stream().anyMatch(Set::isEmpty)) {
            return false;
        }
        return c.shownState == null || states(node, c).contains(c.shownState);
    }

    /** Every state {@code node} may have recorded under candidate {@code c}, ignoring the shown state. */
    private Set<Long> states(String node, Candidate c) {
        Set<Long> acc = new HashSet<>();
        acc.add(startBalance.get(node) + c.firstTaken);
        for (TreeSet<Long> options : c.taken.values()) {
            Set<Long> next = new HashSet<>();
            for (long a : acc) {
                for (long b : options) {
                    next.add(a + b);
                }
            }
            if (next.size() > MAX_STATES) {
                throw new IllegalStateException("too many possible states for node " + node);
            }
            acc = next;
        }
        return acc;
    }

    /** The values a state line of {@code node} may show, given everything shown so far. */
    TreeSet<Long> possibleStates(String node) {
        TreeSet<Long> out = new TreeSet<>();
        for (Candidate c : candidates.get(node)) {
            if (resolve(node, c) != candidates.size()) {
                continue;
            }
            for (long v : c.shownState != null ? Set.of(c.shownState) : states(node, c)) {
                SnapshotGroup g = copy();
                g.showState(node, v);
                if (g.feasible()) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    /** The values channel (from -> node) may show when {@code added} came on it after the drain. */
    TreeSet<Long> possibleChannel(String node, String from, long added) {
        TreeSet<Long> out = new TreeSet<>();
        for (Candidate c : candidates.get(node)) {
            if (resolve(node, c) != candidates.size()) {
                continue;
            }
            List<Long> values = new ArrayList<>();
            if (c.from.equals(from)) {
                values.add(added);
            } else {
                c.taken.get(from).forEach(t -> values.add(c.total.get(from) - t + added));
            }
            for (long v : values) {
                SnapshotGroup g = copy();
                g.showChannel(node, from, v, added);
                if (g.feasible()) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    /** One recording a member may show: its state and, per incoming channel, the sum before later additions. */
    record Data(long state, Map<String, Long> base) {}

    /**
     * Calls {@code visit} once for every distinct combination of recordings the members may show
     * (each member mapped to its data), given everything shown so far.
     */
    void forEachOutcome(Consumer<Map<String, Data>> visit) {
        List<String> members = new ArrayList<>(candidates.keySet());
        List<Map<Data, List<Candidate>>> options = new ArrayList<>();
        for (String t : members) {
            options.add(dataOptions(t));
        }
        product(members, options, 0, new TreeMap<>(NodeIds.ORDER), new HashMap<>(), visit);
    }

    private void product(List<String> members, List<Map<Data, List<Candidate>>> options, int k,
            Map<String, Data> chosen, Map<String, List<Candidate>> by, Consumer<Map<String, Data>> visit) {
        if (k == members.size()) {
            if (acyclic(by)) {
                visit.accept(new TreeMap<>(chosen));
            }
            return;
        }
        String t = members.get(k);
        for (var e : options.get(k).entrySet()) {
            chosen.put(t, e.getKey());
            by.put(t, e.getValue());
            product(members, options, k + 1, chosen, by, visit);
        }
        chosen.remove(t);
        by.remove(t);
    }

    /** True when each member can use one of its given candidates with every first marker traced to a queued one. */
    private static boolean acyclic(Map<String, List<Candidate>> by) {
        Set<String> resolved = new HashSet<>();
        for (boolean changed = true; changed; ) {
            changed = false;
            for (var e : by.entrySet()) {
                if (!resolved.contains(e.getKey())
                        && e.getValue().stream().anyMatch(c -> c.root || resolved.contains(c.from))) {
                    resolved.add(e.getKey());
                    changed = true;
                }
            }
        }
        return resolved.size() == by.size();
    }

    /** Every recording {@code node} may show by itself, with the candidates that produce it. */
    private Map<Data, List<Candidate>> dataOptions(String node) {
        Map<Data, List<Candidate>> out = new HashMap<>();
        for (Candidate c : candidates.get(node)) {
            if (c.dead) {
                continue;
            }
            List<String> chans = new ArrayList<>(c.taken.keySet());
            long[] took = new long[chans.size()];
            expand(node, c, chans, took, 0, out);
        }
        return out;
    }

    private void expand(String node, Candidate c, List<String> chans, long[] took, int k, Map<Data, List<Candidate>> out) {
        if (k < chans.size()) {
            for (long t : c.taken.get(chans.get(k))) {
                took[k] = t;
                expand(node, c, chans, took, k + 1, out);
            }
            return;
        }
        long state = startBalance.get(node) + c.firstTaken;
        Map<String, Long> base = new TreeMap<>(NodeIds.ORDER);
        base.put(c.from, 0L);
        for (int j = 0; j < chans.size(); j++) {
            state += took[j];
            base.put(chans.get(j), c.total.get(chans.get(j)) - took[j]);
        }
        if (c.shownState == null || c.shownState == state) {
            out.computeIfAbsent(new Data(state, base), d -> new ArrayList<>()).add(c);
        }
    }
}
