package synod.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import synod.paxos.Ballot;
import synod.paxos.PValue;
import synod.paxos.Replica;
import synod.paxos.Value;

/**
 * What one simulated Paxos group has chosen, kept beside the cores and never by them, whatever
 * service the group runs.
 *
 * <p>What is chosen is computed from the acceptors' durable records, not from anyone's say-so: a
 * value is chosen for a slot when a majority has durably accepted it at one ballot. Two values chosen
 * for one slot, two values at one (slot, ballot), a Decide or catch-up of a value that is not (yet)
 * chosen, are each a failure. The chosen prefix is executed, slot by slot, on a {@link Reference},
 * which gives the state every replica must have after each slot.
 */
final class ChosenLog {

    /** The reference execution of the chosen log: the service the group replicates, run by the truth alone. */
    interface Reference {
        /** Executes chosen slot {@code slot}; returns the canonical state after it (service and exactly-once table). */
        String execute(long slot, Value value);

        /** The canonical state before any slot. */
        String initial();

        /** A replica's state in the same canonical form. */
        String stateOf(Replica replica);
    }

    /** A service's state and the exactly-once entries of {@code clients}, as one comparable string. */
    static String canonical(JsonNode snapshot, List<String> clients, Function<String, Replica.Executed> table) {
        StringBuilder sb = new StringBuilder(snapshot.toString());
        for (String c : clients) {
            Replica.Executed e = table.apply(c);
            if (e != null) {
                sb.append(' ').append(c).append('=').append(e.seq()).append(':').append(e.result());
            }
        }
        return sb.toString();
    }

    private static final class Vote {
        final Value value;
        final TreeSet<String> acceptors = new TreeSet<>();

        Vote(Value value) {
            this.value = value;
        }
    }

    private final int majority;
    private final Reference reference;
    private final TreeMap<Long, Value> chosen = new TreeMap<>();
    private final TreeMap<Long, TreeMap<Ballot, Vote>> votes = new TreeMap<>();
    private long next = 0;
    /** stateBefore.get(s): the reference state with slots below s applied. */
    private final List<String> stateBefore = new ArrayList<>();
    private long fingerprint = 17;

    ChosenLog(int majority, Reference reference) {
        this.majority = majority;
        this.reference = reference;
        stateBefore.add(reference.initial());
    }

    /** Every slot below this is chosen (and executed by the reference). */
    long chosenBelow() {
        return next;
    }

    int chosenCount() {
        return chosen.size();
    }

    long fingerprint() {
        return fingerprint;
    }

    /** Acceptor {@code node} durably accepted {@code pv}: a vote, and perhaps a choice. */
    void accepted(String node, PValue pv) {
        Vote v = votes.computeIfAbsent(pv.slot(), s -> new TreeMap<>())
                .computeIfAbsent(pv.ballot(), b -> new Vote(pv.value()));
        Sim.expect(v.value.equals(pv.value()), "two values proposed for slot %d at ballot %s: %s (accepted by %s) and %s"
                + " (accepted by %s)", pv.slot(), pv.ballot(), v.value, v.acceptors, pv.value(), node);
        if (v.acceptors.add(node) && v.acceptors.size() == majority) {
            choose(pv.slot(), pv.value(), "a majority " + v.acceptors + " at " + pv.ballot());
        }
    }

    private void choose(long slot, Value value, String how) {
        Value had = chosen.putIfAbsent(slot, value);
        Sim.expect(had == null || had.equals(value), "slot %d chose two values: %s, then %s by %s", slot, had, value, how);
        if (had == null) {
            fingerprint = fingerprint * 31 + slot * 7 + value.hashCode();
            advance();
        }
    }

    /** Someone (a Decide, a catch-up, a replica) claims {@code slot} decided {@code value}. */
    void claimed(long slot, Value value, String who) {
        Value v = chosen.get(slot);
        Sim.expect(v != null, "%s says slot %d decided %s, but no majority accepted anything there yet (%s)",
                who, slot, value, votes.get(slot) == null ? "no votes" : describe(votes.get(slot)));
        Sim.expect(v.equals(value), "%s says slot %d decided %s, but %s was chosen", who, slot, value, v);
    }

    private static String describe(TreeMap<Ballot, Vote> vs) {
        StringBuilder sb = new StringBuilder();
        vs.forEach((b, v) -> sb.append(b).append(v.acceptors).append(' '));
        return sb.toString().trim();
    }

    /** Executes every chosen slot that became contiguous on the reference. */
    private void advance() {
        for (Value v = chosen.get(next); v != null; v = chosen.get(next)) {
            stateBefore.add(reference.execute(next, v));
            next++;
        }
    }

    /**
     * Replica of {@code node} moved from {@code before} to its {@code slotOut()}: every slot it applied
     * was chosen, and its service and exactly-once table equal the reference after the same prefix.
     */
    void checkReplica(String node, Replica replica, long before) {
        long out = replica.slotOut();
        Sim.expect(out <= next, "%s applied slots below %d, but only slots below %d are chosen contiguously",
                node, out, next);
        for (long s = Math.max(before, replica.checkpointSlot()); s < out; s++) {
            Value v = replica.decidedValue(s);
            if (v != null) {
                Sim.expect(v.equals(chosen.get(s)), "%s applied %s in slot %d, but %s was chosen", node, v, s, chosen.get(s));
            }
        }
        String mine = reference.stateOf(replica);
        String truth = stateBefore.get((int) out);
        if (!mine.equals(truth)) { // not Sim.expect: the message is costly to build
            throw new Sim.SimFailure(node + " after slot " + out + " has state " + mine + "\n  the chosen prefix gives " + truth);
        }
    }
}
