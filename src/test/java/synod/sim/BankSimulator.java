package synod.sim;

import static synod.core.Envelope.MASTER;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import synod.core.Envelope;
import synod.core.Message;
import synod.sim.BankTruth.Channel;
import synod.sim.BankTruth.MarkerItem;
import synod.sim.BankTruth.Tagged;
import synod.snapshot.BankMsg;
import synod.snapshot.BankMsg.Begin;
import synod.snapshot.BankMsg.Collect;
import synod.snapshot.BankMsg.Done;
import synod.snapshot.BankMsg.Enqueued;
import synod.snapshot.BankMsg.Marker;
import synod.snapshot.BankMsg.SendMoney;
import synod.snapshot.BankMsg.Take;
import synod.snapshot.BankMsg.Transfer;
import synod.snapshot.BankNode;

/**
 * The world of a simulated CS380D bank (layer 3): N {@link BankNode} cores (N in 2..7, balances
 * 0..499) on a {@link SimNetwork}, stepped one delivered packet at a time for a master (see
 * {@link BankDriver}) that sends one command and waits for its reply. Everything follows from the
 * seed: one {@link Random}, TreeMaps only, no clock, no threads.
 *
 * <p>Before each step it predicts, from {@link BankTruth}, the exact output the core must produce,
 * and feeds what the core sends back into the truth. Invariants checked after every event: each
 * balance equals the truth's; each channel's contents (waiting at the receiver, then in flight)
 * equal the truth's; balances + in flight + waiting == total. At every reply: it is exactly the
 * predicted one, and nothing the command caused is still in flight.
 */
final class BankSimulator {
    /** Matches any error text: refusal wording is the unit tests' business, not the simulator's. */
    static final String ANY_ERROR = "<any error>";
    private static final int TRACE_EVENTS = 30;

    private final Random random;
    private final SimNetwork network;
    private final Map<String, BankNode> cores = new TreeMap<>();
    private final BankTruth truth;
    private final ArrayDeque<SimNetwork.Packet> trace = new ArrayDeque<>();
    private long events = 0;
    private long commands = 0;
    private long errSends = 0;
    private long fingerprint = 17;
    /** The reply the command in progress must end with, and how many acks it still waits for. */
    private Message expectedReply;
    private int acksOutstanding;

    BankSimulator(long seed) {
        random = new Random(seed);
        network = new SimNetwork(random, 8);
        int n = 2 + random.nextInt(6);
        Map<String, Long> initial = new TreeMap<>();
        for (int i = 1; i <= n; i++) {
            initial.put(Integer.toString(i), (long) random.nextInt(500));
        }
        truth = new BankTruth(initial);
        for (String id : truth.nodes()) {
            BankNode core = new BankNode(id, initial.get(id));
            truth.peers(id).forEach(core::addPeer);
            cores.put(id, core);
        }
    }

    Random random() {
        return random;
    }

    BankTruth truth() {
        return truth;
    }

    long events() {
        return events;
    }

    long commands() {
        return commands;
    }

    long errSends() {
        return errSends;
    }

    long fingerprint() {
        return fingerprint;
    }

    /** How many messages wait at the receiver of {@code ch}, as its core says. */
    int queued(Channel ch) {
        return cores.get(ch.to()).queued(ch.from());
    }

    /** The last packets delivered, oldest first, to read beside a failure. */
    String recentEvents() {
        StringBuilder sb = new StringBuilder();
        long n = events - trace.size();
        for (SimNetwork.Packet p : trace) {
            sb.append(String.format("  #%d t=%d %s -> %s: %s%n", ++n, p.deliverAt(), p.from(), p.to(), p.message()));
        }
        return sb.toString();
    }

    /** Sends one command and delivers packets until its reply reaches the master. */
    BankMsg command(String node, BankMsg cmd) {
        commands++;
        expectedReply = null;
        acksOutstanding = 0;
        network.send(MASTER, node, cmd);
        while (true) {
            SimNetwork.Packet p = network.next();
            events++;
            fingerprint = fingerprint * 31 + p.hashCode();
            trace.addLast(p);
            if (trace.size() > TRACE_EVENTS) {
                trace.removeFirst();
            }
            if (p.to().equals(MASTER)) {
                Sim.expect(network.isEmpty() && acksOutstanding == 0,
                        "node %s replied while %d packets are in flight and %d acks outstanding",
                        node, network.size(), acksOutstanding);
                Sim.expect(matches(expectedReply, p.message()), "reply %s, expected %s", p.message(), expectedReply);
                return (BankMsg) p.message();
            }
            deliver(p);
            checkInvariants();
        }
    }

    private void deliver(SimNetwork.Packet p) {
        String node = p.to();
        BankMsg m = (BankMsg) p.message();
        List<Envelope> expected = p.from().equals(MASTER) ? predictCommand(node, m) : predictPeer(p.from(), m);
        List<Envelope> actual = cores.get(node).step(p.from(), m).sends();
        Sim.expect(matches(expected, actual), "node %s stepped %s from %s and sent %s, expected %s",
                node, m, p.from(), actual, expected);
        for (Envelope e : actual) {
            if (e.message() instanceof Transfer || e.message() instanceof Marker) {
                truth.sent(events, new Channel(node, e.to()), (BankMsg) e.message());
                acksOutstanding++;
            }
            network.send(node, e.to(), e.message());
        }
    }

    /** The exact output a master command must produce; updates the truth for what it takes or records. */
    private List<Envelope> predictCommand(String node, BankMsg cmd) {
        List<String> peers = truth.peers(node);
        if (cmd instanceof SendMoney s) {
            if (!peers.contains(s.to()) || s.amount() < 0) {
                return reply(new Done(s.seq(), null, List.of(), ANY_ERROR));
            }
            if (s.amount() > truth.balance(node)) {
                errSends++;
                return reply(new Done(s.seq(), "ERR_SEND", List.of(), null));
            }
            expectedReply = new Done(s.seq(), null, List.of(s.to()), null);
            return List.of(new Envelope(s.to(), new Transfer(s.amount())));
        } else if (cmd instanceof Take t) {
            Channel ch = new Channel(t.from(), node);
            if (!peers.contains(t.from()) || waiting(ch) == 0) {
                return reply(new Done(t.seq(), null, List.of(), ANY_ERROR));
            }
            BankTruth.Item item = truth.take(events, ch);
            if (item instanceof Tagged tr) {
                return reply(new Done(t.seq(), t.from() + " Transfer " + tr.amount, List.of(), null));
            }
            long snap = ((MarkerItem) item).snapshot();
            String line = t.from() + " SnapshotToken -1";
            if (!truth.markerTaken(events, ch, snap)) {
                return reply(new Done(t.seq(), line, List.of(), null));
            }
            expectedReply = new Done(t.seq(), line, peers, null);
            return markers(peers, snap);
        } else if (cmd instanceof Begin b) {
            if (!truth.begin(events, node, b.snapshot())) {
                return reply(new Done(b.seq(), null, List.of(), ANY_ERROR));
            }
            expectedReply = new Done(b.seq(), null, peers, null);
            return markers(peers, b.snapshot());
        } else if (cmd instanceof Collect c) {
            return reply(truth.expectedReport(c.seq(), node, c.snapshot()));
        }
        throw new Sim.SimFailure("the driver issued " + cmd);
    }

    /** A peer's message: a transfer or marker is acked at once; the last ack releases the reply. */
    private List<Envelope> predictPeer(String from, BankMsg m) {
        if (m instanceof Transfer || m instanceof Marker) {
            return List.of(new Envelope(from, new Enqueued()));
        }
        Sim.expect(m instanceof Enqueued, "a peer sent %s", m);
        Sim.expect(--acksOutstanding >= 0, "more acks than messages sent");
        return acksOutstanding == 0 ? List.of(new Envelope(MASTER, expectedReply)) : List.of();
    }

    private List<Envelope> reply(Message m) {
        expectedReply = m;
        return List.of(new Envelope(MASTER, m));
    }

    private static List<Envelope> markers(List<String> peers, long snap) {
        List<Envelope> out = new ArrayList<>();
        peers.forEach(p -> out.add(new Envelope(p, new Marker(snap))));
        return out;
    }

    /** Messages waiting at the receiver: what the truth says is on the channel minus what still flies. */
    private int waiting(Channel ch) {
        return truth.size(ch) - channelMessages(network.inFlight(ch.from(), ch.to())).size();
    }

    /** Money is conserved and every channel holds exactly what the truth says, after every event. */
    private void checkInvariants() {
        long money = 0;
        for (BankNode core : cores.values()) {
            Sim.expect(core.balance() == truth.balance(core.id()), "node %s balance %d, truth %d",
                    core.id(), core.balance(), truth.balance(core.id()));
            money += core.balance();
        }
        // One pass over the network rather than one per channel: this runs after every event.
        Map<Channel, List<BankMsg>> flying = new TreeMap<>();
        for (SimNetwork.Packet p : network.packets()) {
            if (p.message() instanceof Transfer || p.message() instanceof Marker) {
                flying.computeIfAbsent(new Channel(p.from(), p.to()), c -> new ArrayList<>()).add((BankMsg) p.message());
            }
        }
        for (Channel ch : truth.channels()) {
            List<BankMsg> contents = new ArrayList<>(cores.get(ch.to()).waiting(ch.from()));
            contents.addAll(flying.getOrDefault(ch, List.of()));
            if (!truth.holds(ch, contents)) { // not Sim.expect: the message is costly to build every event
                throw new Sim.SimFailure("channel " + ch + " holds " + contents + ", truth " + truth.contents(ch));
            }
            for (BankMsg m : contents) {
                if (m instanceof Transfer t) {
                    money += t.amount();
                }
            }
        }
        Sim.expect(money == truth.total(), "money %d, total %d", money, truth.total());
    }

    /** The transfers and markers among packets on a pair (acks travel the same pair but hold nothing). */
    private static List<BankMsg> channelMessages(List<Message> packets) {
        List<BankMsg> out = new ArrayList<>();
        for (Message m : packets) {
            if (m instanceof Transfer || m instanceof Marker) {
                out.add((BankMsg) m);
            }
        }
        return out;
    }

    private static boolean matches(List<Envelope> expected, List<Envelope> actual) {
        if (expected.size() != actual.size()) {
            return false;
        }
        for (int i = 0; i < expected.size(); i++) {
            Envelope e = expected.get(i);
            Envelope a = actual.get(i);
            if (!e.to().equals(a.to()) || !matches(e.message(), a.message())) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(Message expected, Message actual) {
        if (expected instanceof Done e && ANY_ERROR.equals(e.error()) && actual instanceof Done a) {
            return e.seq() == a.seq() && a.line() == null && a.pushed().isEmpty() && a.error() != null;
        }
        return expected != null && expected.equals(actual);
    }
}
