package synod.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeMap;

/**
 * Injected network latency: an item sent on a link at time {@code now} is due at {@code now +
 * delay + j}, {@code j} uniform in [0, jitter] from a seeded {@link Random}, and never before the
 * item sent before it on the same link, so every link stays FIFO as a TCP connection does. Pure:
 * the caller gives the time (in any unit: microseconds in the runtime, ticks in the simulator) and
 * the randomness, so a seed reproduces every delay.
 *
 * <p>Invariant: {@link #due} returns items in (due time, send order), a total order; on one link
 * due times never decrease, so on one link that order is send order.
 */
public final class LinkDelay<T> {
    /** Jitter is drawn with {@link Random#nextInt}, so it stays below Integer.MAX_VALUE units. */
    public static final long JITTER_MAX = Integer.MAX_VALUE - 1;

    private record Entry<T>(long at, long order, T item) {}

    private final PriorityQueue<Entry<T>> queue = new PriorityQueue<>((a, b) ->
            a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    /** Latest due time per link: the floor that keeps the link FIFO. */
    private final Map<String, Long> floor = new TreeMap<>();
    private Random random = new Random(0);
    private long delay;
    private long jitter;
    private long order;

    /** From now on items are {@code delay} plus up to {@code jitter} late; items queued keep their time. */
    public void set(long delay, long jitter, Random random) {
        Check.that(delay >= 0 && jitter >= 0 && jitter <= JITTER_MAX, "delay %d, jitter %d", delay, jitter);
        this.delay = delay;
        this.jitter = jitter;
        this.random = random;
    }

    /** True if an item sent now must go through this queue: a delay is on, or items are still queued. */
    public boolean active() {
        return delay > 0 || jitter > 0 || !queue.isEmpty();
    }

    /**
     * When an item sent on {@code link} at {@code now} is due, recorded as that link's new floor
     * (for a caller that keeps its own queue, as the simulator's network does).
     */
    public long at(long now, String link) {
        long at = now + delay + (jitter == 0 ? 0 : random.nextInt((int) jitter + 1));
        // A tie with the floor is fine: the later send order breaks it, so the link stays FIFO.
        at = Math.max(at, floor.getOrDefault(link, Long.MIN_VALUE));
        floor.put(link, at);
        return at;
    }

    /** Queues {@code item} on {@code link}; returns when it is due. */
    public long add(long now, String link, T item) {
        long at = at(now, link);
        queue.add(new Entry<>(at, order++, item));
        return at;
    }

    /** Removes and returns the items due at or before {@code now}, in (due time, send order). */
    public List<T> due(long now) {
        List<T> out = new ArrayList<>();
        while (!queue.isEmpty() && queue.peek().at <= now) {
            out.add(queue.poll().item);
        }
        if (queue.isEmpty()) {
            floor.clear(); // nothing in flight: no floor left to keep (and no map growing with old links)
        }
        return out;
    }

    /** The earliest due time queued, or Long.MAX_VALUE with none. */
    public long next() {
        return queue.isEmpty() ? Long.MAX_VALUE : queue.peek().at;
    }

    public int size() {
        return queue.size();
    }
}
