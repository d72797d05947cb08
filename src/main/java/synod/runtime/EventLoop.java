package synod.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread of a JVM that touches sockets and protocol state: a NIO selector, a timer queue
 * and a queue of tasks handed in by other threads. Everything a core does runs here, so cores need
 * no locks. A task that throws is this process's own bug: the loop stops and the process dies
 * loudly (see {@link #onCrash}).
 */
public final class EventLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);

    /** Something the selector reports ready; runs on the loop thread. */
    interface Ready {
        void onReady(SelectionKey key);
    }

    /**
     * {@code dueNanos}: on {@link System#nanoTime}'s clock. A {@code precise} timer (injected latency)
     * is waited for to the microsecond; any other to the millisecond, as {@code select} waits.
     */
    private record Timer(long dueNanos, long order, Runnable task, boolean precise) {}

    private final Selector selector;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) ->
            a.dueNanos != b.dueNanos ? Long.compare(a.dueNanos, b.dueNanos) : Long.compare(a.order, b.order));
    private long timerOrder = 0;
    private final java.util.List<Runnable> afterRound = new java.util.ArrayList<>();
    private final java.util.List<Runnable> beforeSelect = new java.util.ArrayList<>();
    private volatile boolean running = true;
    private final Thread thread;
    private volatile Runnable onCrash = () -> Runtime.getRuntime().halt(70);

    public EventLoop(String name) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this::loop, name);
    }

    /** What to do when a task throws (default: halt with status 70, after logging). */
    public void onCrash(Runnable action) {
        this.onCrash = action;
    }

    public void start() {
        thread.start();
    }

    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Milliseconds of a monotonic clock; the only clock the runtime reads. */
    public static long nowMillis() {
        return System.nanoTime() / 1_000_000L;
    }

    /** Runs {@code task} on the loop thread, soon; callable from any thread. */
    public void execute(Runnable task) {
        tasks.add(task);
        if (!inLoop()) {
            selector.wakeup(); // the loop itself looks at its tasks before it waits again
            java.util.concurrent.locks.LockSupport.unpark(thread); // it may be parked for a sub-millisecond timer
        }
    }

    /** Runs {@code task} on the loop thread after {@code delayMillis}; loop thread only. */
    public void schedule(long delayMillis, Runnable task) {
        timers.add(new Timer(System.nanoTime() + delayMillis * 1_000_000, timerOrder++, task, false));
    }

    /**
     * Runs {@code task} on the loop thread after {@code delayMicros}, to the microsecond: while it is
     * the next timer and under a millisecond away, the loop parks (deaf to its sockets meanwhile)
     * rather than wait a whole millisecond in {@code select}. Loop thread only.
     */
    public void scheduleMicros(long delayMicros, Runnable task) {
        timers.add(new Timer(System.nanoTime() + delayMicros * 1000, timerOrder++, task, true));
    }

    /** Microseconds of the clock the timers run on ({@link System#nanoTime}). */
    public static long nowMicros() {
        return System.nanoTime() / 1000;
    }

    /** Timers scheduled and not yet run; for tests of what a component scheduled. */
    public int scheduled() {
        return timers.size();
    }

    /**
     * Runs {@code hook} after every round of the loop (ready sockets, tasks, due timers): where a
     * node forces the round's log records once and then sends the round's messages (group commit).
     * Loop thread, or before {@link #start}.
     */
    public void afterRound(Runnable hook) {
        afterRound.add(hook);
    }

    /**
     * Runs {@code hook} at the very end of every round, after the {@link #afterRound} hooks, right
     * before the loop waits again: where a transport writes the frames the round queued, all of a
     * connection's frames in one system call. Loop thread, or before {@link #start}.
     */
    void beforeSelect(Runnable hook) {
        beforeSelect.add(hook);
    }

    Selector selector() {
        return selector;
    }

    private void loop() {
        try {
            while (running) {
                long wait = tasks.isEmpty() ? waitNanos() : 0;
                Timer next = timers.peek();
                if (!tasks.isEmpty()) {
                    selector.selectNow(this::dispatch);
                } else if (wait < 0) {
                    selector.select(this::dispatch, 0); // no timer: until a socket or a task
                } else if (wait >= 1_000_000 || !next.precise()) {
                    selector.select(this::dispatch, Math.max(1, wait / 1_000_000));
                } else if (selector.selectNow(this::dispatch) == 0 && wait > 0 && tasks.isEmpty()) {
                    // A timer due in under a millisecond (injected latency), which select cannot wait
                    // for: park for it; a task handed in unparks the loop, a socket waits at most that long.
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                for (Runnable t = tasks.poll(); t != null; t = tasks.poll()) {
                    t.run();
                }
                runDueTimers();
                for (Runnable hook : afterRound) {
                    hook.run();
                }
                for (Runnable hook : beforeSelect) {
                    hook.run();
                }
            }
        } catch (Throwable t) {
            LOG.error("event loop crashed: this process's own invariant is broken", t);
            System.err.println("synod: fatal: " + t);
            onCrash.run();
        } finally {
            closeSelector();
        }
    }

    /** How long the loop may wait: -1 for ever (no timer), else the nanoseconds to the next timer (0: due). */
    private long waitNanos() {
        Timer next = timers.peek();
        if (next == null) {
            return -1;
        }
        return Math.max(0, next.dueNanos - System.nanoTime());
    }

    private void dispatch(SelectionKey key) {
        if (key.isValid()) {
            ((Ready) key.attachment()).onReady(key);
        }
    }

    private void runDueTimers() {
        long now = System.nanoTime();
        while (!timers.isEmpty() && timers.peek().dueNanos - now <= 0) {
            timers.poll().task.run();
        }
    }

    private void closeSelector() {
        try {
            for (SelectionKey k : selector.keys()) {
                k.channel().close();
            }
            selector.close();
        } catch (IOException e) {
            LOG.warn("closing selector", e);
        }
    }

    /** Waits until the loop has stopped ({@link #close}) and closed its channels; not from the loop thread. */
    public void join() throws InterruptedException {
        thread.join();
    }

    /** Stops the loop and closes every channel; waits for the thread unless called from it. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        if (!inLoop()) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
