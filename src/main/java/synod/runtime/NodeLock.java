package synod.runtime;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code logs/nN/lock}: held by a running node for the life of its process (kill -9 included: the
 * kernel drops it with the process), and by a master while it wipes the directory. Whoever cannot
 * take it must leave the directory alone: a node refuses to start a second copy, a master refuses
 * to wipe the logs of a node that is still running.
 */
public final class NodeLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private NodeLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of node directory {@code dir} (created if missing), or returns null if a process holds it. */
    public static NodeLock tryTake(Path dir) throws IOException {
        Files.createDirectories(dir);
        FileChannel ch = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // this very JVM holds it
        }
        if (lock == null) {
            ch.close();
            return null;
        }
        return new NodeLock(ch, lock);
    }

    /** The pid the running node wrote to {@code dir/pid} after taking its lock, or "unknown". */
    public static String pidOf(Path dir) {
        try {
            String pid = Files.readString(dir.resolve("pid")).strip();
            return pid.matches("\\d{1,10}") ? pid : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
