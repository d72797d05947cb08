package synod.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Points slf4j-simple at a file under {@code logs/}: stdout belongs to graded output, so no
 * diagnostic may ever reach it. Must run before the first logger is created. slf4j-simple truncates
 * its file on open, so the previous run's log (say, of a node before its kill -9, with the reason
 * it died) is first appended to {@code NAME.previous.log}.
 */
public final class Logs {
    private Logs() {}

    public static void toFile(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            keepPrevious(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create log directory for " + file, e);
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", file.toString());
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
    }

    private static void keepPrevious(Path file) throws IOException {
        if (Files.exists(file) && Files.size(file) > 0) {
            String name = file.getFileName().toString().replaceFirst("\\.log$", "");
            Files.write(file.resolveSibling(name + ".previous.log"), Files.readAllBytes(file),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
    }
}
