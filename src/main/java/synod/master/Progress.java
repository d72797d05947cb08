package synod.master;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A CSE535 run's progress on stderr, one line rewritten in place twice a second ("set 3 of 10:
 * 45 of 120 transactions done, 12.3 s elapsed"), only with {@code --progress}, which bin/master
 * passes when stderr is a terminal: graded stdout and a captured stderr never see it. The line is
 * cleared when a set ends, before its prompt or anything else is printed.
 */
final class Progress {
    private static final long PERIOD_MILLIS = 500;
    private static volatile boolean on;
    private static final long STARTED = System.nanoTime();
    private static final AtomicInteger DONE = new AtomicInteger();
    private static volatile String set = "";
    private static volatile int total;
    private static Thread ticker;

    private Progress() {}

    static void enable() {
        on = true;
    }

    /** Set {@code number} (the {@code index}th of {@code of}) begins, with {@code transactions} to run. */
    static synchronized void begin(int number, int index, int of, int transactions) {
        if (!on) {
            return;
        }
        set = "set " + number + " (" + index + " of " + of + ")";
        total = transactions;
        DONE.set(0);
        if (ticker == null) {
            ticker = new Thread(Progress::tick, "progress");
            ticker.setDaemon(true);
            ticker.start();
        }
        show();
    }

    /** One transaction of the set decided. */
    static void done() {
        if (on) {
            DONE.incrementAndGet();
        }
    }

    /** The set ended: the line is cleared, so what follows starts on a clean line. */
    static synchronized void end() {
        if (on) {
            set = "";
            System.err.print("\r\033[K");
            System.err.flush();
        }
    }

    static String line(String set, int done, int total, long nanos) {
        return set + ": " + done + " of " + total + " transactions done, "
                + String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e9) + " s elapsed";
    }

    private static synchronized void show() {
        if (!set.isEmpty()) {
            System.err.print("\r\033[K" + line(set, DONE.get(), total, System.nanoTime() - STARTED));
            System.err.flush();
        }
    }

    private static void tick() {
        while (true) {
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            show();
        }
    }
}
