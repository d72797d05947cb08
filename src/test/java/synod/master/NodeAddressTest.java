package synod.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/node --id N} with a config that puts nN on another machine (192.0.2.1, a
 * documentation address no machine has) says so and exits 2 before it creates, locks or writes
 * anything in its log directory.
 */
@Tag("end-to-end")
class NodeAddressTest {
    @TempDir
    Path tmp;

    @Test
    void aNodeWhoseAddressIsNotThisMachinesSaysSoAndTouchesNoLog() throws Exception {
        Path config = tmp.resolve("cluster.json");
        Files.writeString(config, "{\"nodes\": {\"n2\": \"192.0.2.1:7102\"}}");
        Path logs = tmp.resolve("logs");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", MasterProcessEndToEndTest.childClassPath(),
                "synod.runtime.PaxosMain", "--id", "2", "--group", "n1,n2,n3", "--logs", logs.toString(),
                "--config", config.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the node did not exit");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.startsWith("node: n2's address 192.0.2.1:7102 (192.0.2.1) is not an address of this machine"), out);
        assertFalse(Files.exists(logs), "the node touched its logs: " + (Files.exists(logs)
                ? List.of(logs.toFile().list()) : ""));
    }
}
