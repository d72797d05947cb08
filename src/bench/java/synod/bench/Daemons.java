package synod.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The server processes a benchmark starts itself (etcd members, ZooKeeper servers). Each one's
 * output goes to {@code DIR/NAME.out} and its pid to {@code DIR/NAME.pid} (bin/bench reaps by those
 * if this JVM is killed with -9). All are stopped and reaped on {@link #close}, or by a shutdown
 * hook if the JVM is stopped first (Ctrl-C, SIGTERM).
 */
public final class Daemons implements AutoCloseable {
    private static final long STOP_MILLIS = 10_000;
    private static final long POLL_MILLIS = 50;

    private final Path dir;
    private final Map<String, Process> started = new LinkedHashMap<>();
    private final Thread hook = new Thread(this::stopAll, "stop-daemons");

    public Daemons(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public synchronized void start(String name, List<String> command) throws IOException {
        Path out = dir.resolve(name + ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
        started.put(name, p);
        Files.writeString(dir.resolve(name + ".pid"), p.pid() + "\n");
    }

    public synchronized List<ProcessHandle> handles() {
        List<ProcessHandle> hs = new ArrayList<>();
        started.values().forEach(p -> hs.add(p.toHandle()));
        return hs;
    }

    /**
     * Polls {@code probe} until it answers non-null, for at most {@code millis}: the condition (a
     * quorum, say) lives in other processes, so there is nothing to wait on but asking again. Fails
     * at once if a daemon exits meanwhile.
     */
    public <T> T await(String what, long millis, Supplier<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            requireRunning();
            T got = probe.get();
            if (got != null) {
                return got;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + what + " within " + millis + " ms (see " + dir + ")");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private synchronized void requireRunning() {
        started.forEach((name, p) -> {
            if (!p.isAlive()) {
                throw new IllegalStateException(name + " exited with status " + p.exitValue() + " (see "
                        + dir.resolve(name + ".out") + ")");
            }
        });
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook has run or is running stopAll itself
        }
    }

    /** SIGTERM to all at once (they stop in parallel), then kill -9 whoever is left at the deadline. */
    private synchronized void stopAll() {
        started.values().forEach(Process::destroy);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_MILLIS);
        for (Process p : started.values()) {
            try {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly().waitFor(STOP_MILLIS, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        started.clear();
    }
}
