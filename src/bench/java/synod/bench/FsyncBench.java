package synod.bench;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import synod.runtime.FileLog;

/**
 * What group commit buys on this machine's disk: records per second through {@link FileLog} with
 * 1, 16, 64 and 256 records per sync, each as a ratio to a baseline measured in the same run, a bare
 * {@link FileChannel} that writes one line and forces it. Also the bare channel with
 * {@code force(false)}, to show what FileLog's choice of {@code force(true)} costs.
 *
 * <p>Usage: {@code FsyncBench [DIR [MILLIS [ROUNDS]]]} (defaults {@code logs/bench}, 400, 7): each
 * round runs every configuration for MILLIS; each figure is the median over the rounds, and each
 * ratio the median of the per-round ratios. The one file it writes is deleted at the end.
 */
public final class FsyncBench {
    private static final int[] GROUPS = {1, 16, 64, 256};

    private FsyncBench() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "logs/bench");
        long millis = args.length > 1 ? Long.parseLong(args[1]) : 400;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        Files.createDirectories(dir);
        String record = "{\"type\":\"Accepted\",\"ballot\":{\"round\":12,\"leader\":\"n3\"},\"slot\":123456,"
                + "\"command\":{\"client\":\"c7\",\"seq\":4242,\"op\":\"transfer A B 5\"}}";
        System.out.printf("synod fsync bench: %s (%s), %d-byte records, %d ms x %d rounds, %d cores, java %s%n",
                dir, Files.getFileStore(dir).type(), record.length(), millis, rounds,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

        rawRate(dir, record, true, Math.max(100, millis / 4));
        // the disk is shared, so its speed drifts: every round measures every configuration back to
        // back, each is divided by the same round's baseline, and the medians are reported
        String[] names = new String[GROUPS.length + 2];
        names[0] = "baseline  bare channel, 1 record per write+force(true): ";
        names[1] = "          bare channel, 1 record per write+force(false):";
        for (int g = 0; g < GROUPS.length; g++) {
            names[g + 2] = String.format("FileLog   group commit %3d records per sync:            ", GROUPS[g]);
        }
        List<List<Double>> rates = new ArrayList<>();
        List<List<Double>> ratios = new ArrayList<>();
        for (int k = 0; k < names.length; k++) {
            rates.add(new ArrayList<>());
            ratios.add(new ArrayList<>());
        }
        for (int r = 0; r < rounds; r++) {
            double[] got = new double[names.length];
            got[0] = rawRate(dir, record, true, millis);
            got[1] = rawRate(dir, record, false, millis);
            for (int g = 0; g < GROUPS.length; g++) {
                got[g + 2] = logRate(dir, record, GROUPS[g], millis);
            }
            for (int k = 0; k < names.length; k++) {
                rates.get(k).add(got[k]);
                ratios.get(k).add(got[k] / got[0]);
            }
        }
        for (int k = 0; k < names.length; k++) {
            double rate = median(rates.get(k));
            String unit = k < 2 ? "fsyncs/s " : "records/s";
            String syncs = k < 2 ? "" : String.format("   (%.0f syncs/s)", rate / GROUPS[k - 2]);
            System.out.printf("%s %9.0f %s %7.2fx%s%n", names[k], rate, unit, median(ratios.get(k)), syncs);
        }
        Files.deleteIfExists(dir.resolve("fsync-bench.log"));
    }

    private static double median(List<Double> xs) {
        List<Double> sorted = new ArrayList<>(xs);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** Fsyncs per second of a bare channel appending one line per write+force. */
    /** Single writes each followed by force, per second: the disk baseline other benchmarks divide by. */
    static double rawRate(Path dir, String record, boolean metadata, long millis) throws IOException {
        byte[] line = ("00000000 " + record + "\n").getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("fsync-bench.log");
        try (FileChannel ch = FileChannel.open(file, CREATE, TRUNCATE_EXISTING, WRITE)) {
            long start = System.nanoTime();
            long deadline = start + millis * 1_000_000L;
            long n = 0;
            long now;
            do {
                ByteBuffer b = ByteBuffer.wrap(line);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(metadata);
                n++;
                now = System.nanoTime();
            } while (now < deadline);
            return n * 1e9 / (now - start);
        }
    }

    /** Records per second through FileLog, {@code group} appends per sync. */
    private static double logRate(Path dir, String record, int group, long millis) throws IOException {
        Path file = dir.resolve("fsync-bench.log");
        Files.deleteIfExists(file);
        try (FileLog log = FileLog.open(file)) {
            long start = System.nanoTime();
            long deadline = start + millis * 1_000_000L;
            long now;
            do {
                for (int i = 0; i < group; i++) {
                    log.append(record);
                }
                log.sync();
                now = System.nanoTime();
            } while (now < deadline);
            return log.appendedSinceOpen() * 1e9 / (now - start);
        }
    }
}
