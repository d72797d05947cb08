package synod.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import synod.core.Message;

/**
 * A simulated datagram network for cores that must survive a bad one (Paxos): every message is lost
 * with probability {@code dropRate}, delivered twice with probability {@code dupRate}, and each copy
 * arrives after its own random delay, now and then a long one (a message from an old ballot turning
 * up much later), so messages on one pair overtake each other (unlike
 * {@link SimNetwork}, which keeps each pair FIFO). Partitions and down nodes are the caller's business
 * at delivery time.
 *
 * <p>Invariant: packets leave in (deliverAt, seq) order, a total order fixed by the one seeded
 * {@link Random}: no clock, no hash order.
 */
final class LossyNetwork {

    /** A message in flight; {@code seq} is the global send order, unique, so the order is total. */
    record Packet(long seq, long deliverAt, String from, String to, Message message) {}

    private static final Comparator<Packet> DELIVERY_ORDER =
            Comparator.comparingLong(Packet::deliverAt).thenComparingLong(Packet::seq);

    private final Random random;
    private final PriorityQueue<Packet> inFlight = new PriorityQueue<>(DELIVERY_ORDER);
    private double dropRate;
    private double dupRate;
    private int delayTicksMax;
    private double lateRate;
    private long seq = 0;
    private long dropped = 0;
    private long duplicated = 0;
    private long late = 0;

    LossyNetwork(Random random, double dropRate, double dupRate, int delayTicksMax, double lateRate) {
        this.random = random;
        setFaults(dropRate, dupRate, delayTicksMax, lateRate);
    }

    /**
     * Changes how bad the network is from now on (messages already in flight keep their fate): a copy
     * is late, by up to 20 times {@code delayTicksMax}, with probability {@code lateRate}.
     */
    void setFaults(double dropRate, double dupRate, int delayTicksMax, double lateRate) {
        if (delayTicksMax < 1) {
            throw new IllegalArgumentException("delayTicksMax must be at least 1: " + delayTicksMax);
        }
        this.dropRate = dropRate;
        this.dupRate = dupRate;
        this.delayTicksMax = delayTicksMax;
        this.lateRate = lateRate;
    }

    /** Sends at tick {@code now}: lost, or delivered once or twice, each copy 1..delayTicksMax ticks later. */
    void send(long now, String from, String to, Message message) {
        if (random.nextDouble() < dropRate) {
            dropped++;
            return;
        }
        int copies = 1;
        if (random.nextDouble() < dupRate) {
            copies = 2;
            duplicated++;
        }
        for (int i = 0; i < copies; i++) {
            int delay = 1 + random.nextInt(delayTicksMax);
            if (random.nextDouble() < lateRate) {
                delay += random.nextInt(20 * delayTicksMax);
                late++;
            }
            inFlight.add(new Packet(++seq, now + delay, from, to, message));
        }
    }

    /** Removes and returns every packet due at or before {@code now}, in delivery order. */
    List<Packet> due(long now) {
        List<Packet> out = new ArrayList<>();
        while (!inFlight.isEmpty() && inFlight.peek().deliverAt() <= now) {
            out.add(inFlight.poll());
        }
        return out;
    }

    int size() {
        return inFlight.size();
    }

    long dropped() {
        return dropped;
    }

    long duplicated() {
        return duplicated;
    }

    long late() {
        return late;
    }
}
