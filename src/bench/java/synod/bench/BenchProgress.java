package synod.bench;

import synod.runtime.StatusLine;

/**
 * A benchmark's progress on stderr ("bin/bench: point 3 of 6 (16 clients, 5 nodes), 42.1 s
 * elapsed"), only when bin/bench runs it with {@code -Dsynod.progress=true}, which it passes when
 * stderr is a terminal: the figures on stdout, and a captured stderr, never see it. A benchmark
 * says how many points it measures ({@link #plan}), then each as it starts ({@link #point}); the
 * line is wiped before anything is printed ({@link #clear}).
 */
public final class BenchProgress {
    private static final boolean ON = Boolean.getBoolean("synod.progress");
    private static final long STARTED = System.nanoTime();
    private static volatile int total;
    private static volatile int done;
    private static volatile String what = "";
    private static final StatusLine LINE = new StatusLine(
            () -> what.isEmpty() ? "" : line(done, total, what, System.nanoTime() - STARTED));

    private BenchProgress() {}

    /** The run measures {@code points} points. */
    public static void plan(int points) {
        total = points;
        done = 0;
    }

    /** The next point ({@code label}: its clients, say) begins. */
    public static void point(String label) {
        done++;
        phase(label);
    }

    /** What the current point is doing (warming up, say), without counting a new point. */
    public static void phase(String label) {
        what = label;
        if (ON) {
            LINE.show();
        }
    }

    /** The point is measured: the line is wiped before its figures are printed (the next point redraws it). */
    public static void clear() {
        what = "";
        if (ON) {
            LINE.clear();
        }
    }

    static String line(int done, int total, String what, long nanos) {
        return "bin/bench: " + (done == 0 ? "before the first of " + total + " points"
                : "point " + done + " of " + total) + " (" + what + "), " + StatusLine.elapsed(0, nanos);
    }
}
