package synod.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import synod.core.LinkDelay;
import synod.core.Message;

/**
 * A simulated network for any protocol's cores: every message is delivered after a random delay
 * drawn from the simulation's one seeded {@link Random}, so deliveries on different channels
 * interleave in seeded orders, while every ordered pair of endpoints stays FIFO (as one TCP
 * connection per pair is in the real runtime). The delay is the runtime's injected latency
 * ({@link LinkDelay}, the script's {@code Delay MS JITTER}): a fixed part plus a seeded jitter.
 *
 * <p>Invariant: packets are delivered in (deliverAt, seq) order, and a packet's deliverAt is never
 * earlier than that of a packet sent before it on the same pair, so per-pair order is send order.
 * Everything is ordered by numbers and TreeMaps, never by hash order or a clock.
 */
public final class SimNetwork {

    /** A message in flight; {@code seq} is the global send order, unique, so the order is total. */
    public record Packet(long seq, long deliverAt, String from, String to, Message message) {}

    private static final Comparator<Packet> DELIVERY_ORDER =
            Comparator.comparingLong(Packet::deliverAt).thenComparingLong(Packet::seq);

    private final PriorityQueue<Packet> inFlight = new PriorityQueue<>(DELIVERY_ORDER);
    /** When each packet is due: delay plus seeded jitter, never before the pair's previous one. */
    private final LinkDelay<Packet> latency = new LinkDelay<>();
    private long now = 0;
    private long seq = 0;

    /** Every message arrives after 1..delayTicksMax ticks. */
    public SimNetwork(Random random, int delayTicksMax) {
        this(random, 1, delayTicksMax - 1);
    }

    /** Every message arrives after {@code delayTicks} plus a jitter of 0..jitterTicks ticks (delay at least 1). */
    public SimNetwork(Random random, long delayTicks, long jitterTicks) {
        if (delayTicks < 1 || jitterTicks < 0) {
            throw new IllegalArgumentException("delay must be at least 1, jitter at least 0: " + delayTicks + ", " + jitterTicks);
        }
        latency.set(delayTicks, jitterTicks, random);
    }

    /** Puts {@code message} on the pair (from, to); it arrives after the delay and its jitter, FIFO per pair. */
    public void send(String from, String to, Message message) {
        inFlight.add(new Packet(++seq, latency.at(now, from + " " + to), from, to, message));
    }

    public boolean isEmpty() {
        return inFlight.isEmpty();
    }

    public int size() {
        return inFlight.size();
    }

    /** Removes and returns the next packet to deliver, advancing the clock to its delivery time. */
    public Packet next() {
        Packet p = inFlight.poll();
        if (p == null) {
            throw new IllegalStateException("nothing in flight");
        }
        now = p.deliverAt();
        return p;
    }

    /** The packets in flight on (from, to), oldest first. */
    public List<Message> inFlight(String from, String to) {
        List<Packet> pair = new ArrayList<>();
        for (Packet p : inFlight) {
            if (p.from().equals(from) && p.to().equals(to)) {
                pair.add(p);
            }
        }
        pair.sort(DELIVERY_ORDER);
        List<Message> messages = new ArrayList<>(pair.size());
        pair.forEach(p -> messages.add(p.message()));
        return messages;
    }

    /** Every packet in flight, in delivery order. */
    public List<Packet> packets() {
        List<Packet> all = new ArrayList<>(inFlight);
        all.sort(DELIVERY_ORDER);
        return all;
    }

    /** The simulated time in ticks: the delivery time of the last packet delivered. */
    public long now() {
        return now;
    }
}
