package synod.master;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Test helper: runs a CS380D script on the real cores in this JVM and returns what it printed on stdout. */
public final class InProcessRun {
    private InProcessRun() {}

    public static String run(String script, long seed) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try {
            ScriptReader.Parsed parsed = ScriptReader.read(new BufferedReader(new StringReader(script)));
            try (InProcessCluster cluster = new InProcessCluster()) {
                BankRunner runner = new BankRunner(cluster, new Random(seed), out, (line, msg) -> { });
                parsed.commands().forEach(runner::run);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
