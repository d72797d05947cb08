package synod.check;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import synod.master.Command;
import synod.core.NodeIds;
import synod.master.ScriptReader;

/**
 * A second, deliberately naive oracle for tests: it follows the CS380D semantics literally and
 * tries every order of every hidden choice (each random Receive, each step of ReceiveAll), keeping
 * the set of reachable system states (deduplicated, which is what keeps small scripts tractable).
 * It shares nothing with {@link Cs380dChecker} but the parser, so agreement between the two is
 * evidence for both. Invariant: {@link #outputs} is the set of outputs of all reachable runs.
 */
final class BruteForceOracle {
    private BruteForceOracle() {}

    /** A whole system state, including what it printed so far. Copy-on-write by {@link #copy()}. */
    private static final class World {
        final TreeMap<String, Long> bal = new TreeMap<>(NodeIds.ORDER);
        /** "from>to" to the messages on it; a message is {+amount} or {-1 - snapshot} for a marker. */
        final TreeMap<String, List<Long>> chans = new TreeMap<>();
        final TreeMap<String, Long> snap = new TreeMap<>(NodeIds.ORDER);
        final TreeMap<String, Long> state = new TreeMap<>(NodeIds.ORDER);
        final TreeMap<String, TreeMap<String, Long>> sums = new TreeMap<>(NodeIds.ORDER);
        final TreeMap<String, TreeSet<String>> open = new TreeMap<>(NodeIds.ORDER);
        long counter;
        List<String> collected;
        boolean killed;
        String out = "";

        World copy() {
            World w = new World();
            w.bal.putAll(bal);
            chans.forEach((k, v) -> w.chans.put(k, new ArrayList<>(v)));
            w.snap.putAll(snap);
            w.state.putAll(state);
            sums.forEach((k, v) -> w.sums.put(k, new TreeMap<>(v)));
            open.forEach((k, v) -> w.open.put(k, new TreeSet<>(v)));
            w.counter = counter;
            w.collected = collected;
            w.killed = killed;
            w.out = out;
            return w;
        }

        String key() {
            return drainKey() + "|" + counter + "|" + collected + "|" + killed + "|" + out;
        }

        /** The part of the key a drain can change (it prints nothing and collects nothing). */
        String drainKey() {
            return bal + "|" + chans + "|" + snap + "|" + state + "|" + sums + "|" + open;
        }

        Set<String> nodes() {
            return bal.keySet();
        }

        List<Long> ch(String from, String to) {
            return chans.get(from + ">" + to);
        }

        void print(String line) {
            out += line + "\n";
        }
    }

    /** Thrown when a script needs more than the allowed number of states. */
    static final class TooBig extends RuntimeException {
        TooBig() {
            super("too many states for the brute force", null, false, false);
        }
    }

    /** Every output a correct run of {@code script} may print. */
    static Set<String> outputs(String script) throws IOException {
        return outputs(script, Integer.MAX_VALUE);
    }

    /**
     * Every output a correct run of {@code script} may print.
     *
     * @throws TooBig when more than {@code budget} states would be visited
     */
    static Set<String> outputs(String script, int budget) throws IOException {
        int[] left = {budget};
        List<Command> cmds = ScriptReader.read(new BufferedReader(new StringReader(script))).commands();
        Map<String, World> worlds = new LinkedHashMap<>();
        worlds.put("", new World());
        for (Command c : cmds) {
            Map<String, World> next = new LinkedHashMap<>();
            for (World w : worlds.values()) {
                for (World n : step(w, c, left)) {
                    next.put(n.key(), n);
                }
            }
            worlds = next;
        }
        Set<String> outs = new TreeSet<>();
        worlds.values().forEach(w -> outs.add(w.out));
        return outs;
    }

    private static List<World> step(World w0, Command c, int[] left) {
        if (w0.killed) {
            return List.of(w0);
        }
        World w = w0.copy();
        if (c instanceof Command.CreateNode n && !w.nodes().contains(n.id())) {
            for (String p : w.nodes()) {
                w.chans.put(p + ">" + n.id(), new ArrayList<>());
                w.chans.put(n.id() + ">" + p, new ArrayList<>());
            }
            w.bal.put(n.id(), n.amount());
            w.snap.put(n.id(), 0L);
        } else if (c instanceof Command.Send s && w.nodes().contains(s.from()) && w.nodes().contains(s.to())
                && !s.from().equals(s.to())) {
            if (s.amount() > w.bal.get(s.from())) {
                w.print("ERR_SEND");
            } else {
                w.bal.merge(s.from(), -s.amount(), Long::sum);
                w.ch(s.from(), s.to()).add(s.amount());
            }
        } else if (c instanceof Command.Receive r && w.nodes().contains(r.to())) {
            List<World> outs = new ArrayList<>();
            for (String f : w.nodes()) {
                boolean allowed = r.from() == null ? !f.equals(r.to()) : f.equals(r.from()) && !f.equals(r.to());
                if (allowed && !w.ch(f, r.to()).isEmpty()) {
                    World n = w.copy();
                    take(n, f, r.to(), true);
                    outs.add(n);
                }
            }
            return outs.isEmpty() ? List.of(w) : outs;
        } else if (c instanceof Command.ReceiveAll) {
            return drainAll(w, left);
        } else if (c instanceof Command.BeginSnapshot b && w.nodes().contains(b.id())) {
            w.counter++;
            record(w, b.id(), w.counter, null);
            w.print("Started by Node " + b.id());
        } else if (c instanceof Command.CollectState && w.counter > 0) {
            w.collected = collect(w);
        } else if (c instanceof Command.PrintSnapshot && w.collected != null) {
            w.collected.forEach(w::print);
        } else if (c instanceof Command.KillAll) {
            w.killed = true;
        }
        return List.of(w);
    }

    /** Every state in which all channels are empty, reached by taking heads in any order. */
    private static List<World> drainAll(World start, int[] left) {
        Map<String, World> done = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        Deque<World> todo = new ArrayDeque<>();
        todo.push(start);
        seen.add(start.drainKey());
        while (!todo.isEmpty()) {
            World w = todo.pop();
            if (--left[0] < 0) {
                throw new TooBig();
            }
            boolean any = false;
            for (var e : w.chans.entrySet()) {
                if (e.getValue().isEmpty()) {
                    continue;
                }
                any = true;
                String[] ft = e.getKey().split(">");
                World n = w.copy();
                take(n, ft[0], ft[1], false);
                if (seen.add(n.drainKey())) {
                    todo.push(n);
                }
            }
            if (!any) {
                done.put(w.drainKey(), w);
            }
        }
        return new ArrayList<>(done.values());
    }

    private static void take(World w, String from, String to, boolean print) {
        long m = w.ch(from, to).remove(0);
        if (m >= 0) {
            w.bal.merge(to, m, Long::sum);
            if (w.open.containsKey(to) && w.open.get(to).contains(from)) {
                w.sums.get(to).merge(from, m, Long::sum);
            }
            if (print) {
                w.print(from + " Transfer " + m);
            }
            return;
        }
        long snap = -1 - m;
        if (snap > w.snap.get(to)) {
            record(w, to, snap, from);
        } else if (snap == w.snap.get(to) && w.open.containsKey(to)) {
            w.open.get(to).remove(from);
        }
        if (print) {
            w.print(from + " SnapshotToken -1");
        }
    }

    private static void record(World w, String id, long snap, String markerFrom) {
        w.snap.put(id, snap);
        w.state.put(id, w.bal.get(id));
        TreeMap<String, Long> s = new TreeMap<>(NodeIds.ORDER);
        TreeSet<String> o = new TreeSet<>(NodeIds.ORDER);
        for (String p : w.nodes()) {
            if (!p.equals(id)) {
                s.put(p, 0L);
                if (!p.equals(markerFrom)) {
                    o.add(p);
                }
                w.ch(id, p).add(-1 - snap);
            }
        }
        w.sums.put(id, s);
        w.open.put(id, o);
    }

    private static List<String> collect(World w) {
        List<String> lines = new ArrayList<>();
        lines.add("---Node states");
        for (String id : w.nodes()) {
            if (w.snap.get(id) == w.counter) {
                lines.add("node " + id + " = " + w.state.get(id));
            }
        }
        lines.add("---Channel states");
        for (String f : w.nodes()) {
            for (String t : w.nodes()) {
                if (!f.equals(t)) {
                    long v = w.snap.get(t) == w.counter ? w.sums.get(t).getOrDefault(f, 0L) : 0L;
                    lines.add("channel (" + f + " -> " + t + ") = " + v);
                }
            }
        }
        return List.copyOf(lines);
    }
}
