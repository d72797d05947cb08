package synod.runtime;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * A line of progress on stderr, rewritten in place twice a second from {@code text} (nothing while
 * it is empty), for long runs whose stderr is a terminal: the caller creates one only then, so
 * graded stdout and a captured stderr never see it. {@link #clear} wipes it before anything else
 * is printed.
 */
public final class StatusLine {
    private static final long PERIOD_MILLIS = 500;
    private final Supplier<String> text;
    private final PrintStream out;
    private Thread ticker;

    public StatusLine(Supplier<String> text) {
        this(text, System.err);
    }

    StatusLine(Supplier<String> text, PrintStream out) {
        this.text = text;
        this.out = out;
    }

    /** Draws the line now, and from now on twice a second. */
    public synchronized void show() {
        if (ticker == null) {
            ticker = new Thread(this::tick, "status-line");
            ticker.setDaemon(true);
            ticker.start();
        }
        draw();
    }

    /** Wipes the line, so what follows starts on a clean one; the ticker redraws it once there is text again. */
    public synchronized void clear() {
        out.print("\r\033[K");
        out.flush();
    }

    private synchronized void draw() {
        String s = text.get();
        if (s != null && !s.isEmpty()) {
            out.print("\r\033[K" + s);
            out.flush();
        }
    }

    private void tick() {
        while (true) {
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            draw();
        }
    }

    /** "12.3 s elapsed" since {@code startNanos}. */
    public static String elapsed(long startNanos, long nowNanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", (nowNanos - startNanos) / 1e9) + " s elapsed";
    }
}
