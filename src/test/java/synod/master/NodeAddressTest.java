package synod.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Addresses a process cannot use are refused at its start, exit status 2, naming the address: a
 * node whose own address is another machine's (192.0.2.1, a documentation address no machine has)
 * or whose peer's host does not resolve, before it creates, locks or writes anything in its log
 * directory; a client whose node's host does not resolve, before it dials.
 */
@Tag("end-to-end")
class NodeAddressTest {
    @TempDir
    Path tmp;

    @Test
    void aNodeWhoseAddressIsNotThisMachinesSaysSoAndTouchesNoLog() throws Exception {
        String out = refused("{\"nodes\": {\"n2\": \"192.0.2.1:7102\"}}", "synod.runtime.PaxosMain", "--id", "2");
        assertTrue(out.startsWith("node: n2's address 192.0.2.1:7102 (192.0.2.1) is not an address of this machine"), out);
    }

    @Test
    void aNodeWhosePeerDoesNotResolveSaysSoAndTouchesNoLog() throws Exception {
        String out = refused("{\"nodes\": {\"n3\": \"no-such-host.invalid:7103\"}}", "synod.runtime.PaxosMain", "--id", "2");
        assertTrue(out.startsWith("node: n3's address no-such-host.invalid:7103: the host \"no-such-host.invalid\" does not resolve"), out);
    }

    @Test
    void aClientWhoseNodeDoesNotResolveSaysSo() throws Exception {
        String out = refused("{\"nodes\": {\"n3\": \"no-such-host.invalid:7103\"}, \"authenticate\": false}",
                "synod.client.ClientMain", "--name", "c1");
        assertTrue(out.startsWith("client: n3's address no-such-host.invalid:7103: the host \"no-such-host.invalid\" does not resolve"), out);
    }

    /** Runs {@code main} on group n1,n2,n3 under {@code config}; asserts it exits 2 leaving no log directory; returns its output. */
    private String refused(String config, String main, String... args) throws Exception {
        Path file = tmp.resolve("cluster.json");
        Files.writeString(file, config);
        Path logs = tmp.resolve("logs");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", MasterProcessEndToEndTest.childClassPath(),
                main, "--config", file.toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(main.endsWith("PaxosMain") ? List.of("--group", "n1,n2,n3", "--logs", logs.toString())
                : List.of("--nodes", "n1,n2,n3"));
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "it did not exit");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.exitValue(), out);
        if (main.endsWith("PaxosMain")) {
            assertFalse(Files.exists(logs), "the node touched its logs: " + (Files.exists(logs)
                    ? List.of(logs.toFile().list()) : ""));
        }
        return out;
    }
}
