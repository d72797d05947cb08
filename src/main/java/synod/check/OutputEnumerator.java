package synod.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import synod.master.Command;

/**
 * Enumerates every output a correct system may print for a script, by replaying it on a
 * {@link BankModel} and branching wherever the output may differ: on each channel a
 * {@code Receive} without sender may take, and on each combination of recordings a
 * {@code PrintSnapshot} may show. Branches differ in a printed line at the same place, so each
 * leaf is a distinct output. Invariant: {@link #found} counts the leaves visited so far and never
 * exceeds the limit (the walk stops with an exception instead).
 */
final class OutputEnumerator {
    private final List<Command> commands;
    private final long limit;
    private final Consumer<List<String>> sink;
    private long found;

    OutputEnumerator(List<Command> commands, long limit, Consumer<List<String>> sink) {
        this.commands = commands;
        this.limit = limit;
        this.sink = sink;
    }

    /** Walks every branch, handing each complete output to the sink; returns how many there are. */
    long run() {
        explore(0, new BankModel(), new ArrayList<>());
        return found;
    }

    private void explore(int from, BankModel m, List<String> out) {
        for (int i = from; i < commands.size(); i++) {
            Command c = commands.get(i);
            if (c instanceof Command.Receive r && r.from() == null) {
                List<Chan> ready = m.ready(r.to());
                if (ready.isEmpty()) {
                    continue; // prints nothing and changes nothing
                }
                for (Chan ch : ready) {
                    BankModel b = m.copy();
                    List<String> o = new ArrayList<>(out);
                    o.add(b.pop(ch));
                    explore(i + 1, b, o);
                }
                return;
            } else if (c instanceof Command.PrintSnapshot) {
                if (m.printable() != null) {
                    print(i, m, out);
                    return;
                }
            } else {
                out.addAll(m.apply(c));
            }
        }
        if (++found > limit) {
            throw new IllegalStateException("more than " + limit + " possible outputs");
        }
        sink.accept(out);
    }

    /** Prints the collected snapshot once for each combination of recordings its unknowns may take. */
    private void print(int i, BankModel m, List<String> out) {
        CollectedSnapshot cs = m.printable();
        if (cs.lines().stream().allMatch(CollectedSnapshot.Line::fixed)) {
            cs.lines().forEach(l -> out.add(l.text()));
            explore(i + 1, m, out);
            return;
        }
        cs.group().forEachOutcome(combo -> {
            BankModel b = m.copy();
            SnapshotGroup g = b.printable().group();
            List<String> o = new ArrayList<>(out);
            for (CollectedSnapshot.Line line : cs.lines()) {
                o.add(line.fixed() ? line.text() : line.prefix() + show(line, combo, g));
            }
            explore(i + 1, b, o);
        });
    }

    /** The value {@code line} shows under {@code combo}, recorded in {@code g} as shown. */
    private static long show(CollectedSnapshot.Line line, Map<String, SnapshotGroup.Data> combo, SnapshotGroup g) {
        SnapshotGroup.Data d = combo.get(line.node());
        if (line.from() == null) {
            g.showState(line.node(), d.state());
            return d.state();
        }
        long v = d.base().get(line.from()) + line.added();
        g.showChannel(line.node(), line.from(), v, line.added());
        return v;
    }
}
