package synod.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import synod.runtime.Trace;

/**
 * {@code bin/master --trace} on the CS380D worked example with real node JVMs: the graded output is
 * the untraced run's, every process wrote its events, and the page Chromium draws from them has a
 * lane per process and an arrow per message received, as counted here from the nodes' own files.
 */
@Tag("end-to-end")
class TraceEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HIDDEN = Pattern.compile("Heartbeat|Query|QueryReply");

    @TempDir
    Path tmp;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void reap() throws InterruptedException {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Path master(Path logs, Path trace, Path script) throws Exception {
        Path config = MasterProcessEndToEndTest.privateConfig(tmp);
        Path out = tmp.resolve(trace.getFileName() + ".out");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-XX:+UseSerialGC", "-cp", MasterProcessEndToEndTest.childClassPath(), "synod.master.MasterMain",
                "--batch", "--logs", logs.toString(), "--config", config.toString(), "--trace", trace.toString(),
                script.toString())
                .redirectOutput(out.toFile()).redirectError(tmp.resolve(trace.getFileName() + ".err").toFile()).start();
        started.add(p);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the traced master did not finish in 120 s");
        assertEquals(0, p.exitValue(), Files.readString(tmp.resolve(trace.getFileName() + ".err")));
        return out;
    }

    @Test
    void theWorkedExampleTracedDrawsALanePerProcessAndAnArrowPerMessage() throws Exception {
        Path script = Path.of("test-cases", "cs380d", "spec-example1.txt").toAbsolutePath();
        Path logs = tmp.resolve("logs");
        Path page = tmp.resolve("example.html");
        Path out = master(logs, page, script);
        assertEquals(Files.readString(Path.of("test-cases", "cs380d", "spec-example1.expected")),
                Files.readString(out), "tracing changes no graded output");

        Set<String> lanes = new HashSet<>();
        Set<String> sends = new HashSet<>();
        List<JsonNode> receives = new ArrayList<>();
        Set<String> kinds = new HashSet<>();
        for (Path f : Trace.files(logs)) {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                JsonNode e = JSON.readTree(line);
                lanes.add(e.get("node").asText());
                kinds.add(e.get("kind").asText() + " " + e.get("type").asText());
                if (e.get("kind").asText().equals("send")) {
                    sends.add(e.get("id").asText());
                } else if (e.get("kind").asText().equals("recv")) {
                    receives.add(e);
                }
                assertTrue(e.get("vc").get(e.get("node").asText()).asLong() > 0, "own clock in " + line);
            }
        }
        assertEquals(Set.of("master", "1", "2"), lanes);
        assertTrue(kinds.containsAll(List.of("send Marker", "recv Marker", "send Transfer", "recv Transfer",
                "cmd BeginSnapshot 1", "start started")), kinds.toString());
        long arrows = receives.stream().filter(r -> sends.contains(r.path("src").asText())).count();
        long shown = receives.stream().filter(r -> sends.contains(r.path("src").asText())
                && !HIDDEN.matcher(r.get("type").asText()).matches()).count();
        assertEquals(receives.size(), arrows, "every message received was stamped by a send on record");

        Chromium.binary();
        Map<String, String> data = Chromium.bodyData(page, tmp.resolve("profile"));
        assertNull(data.get("errors"), "script errors: " + data);
        assertEquals("1", data.get("ready"), data.toString());
        assertEquals(String.valueOf(lanes.size()), data.get("lanes"));
        assertEquals(String.valueOf(arrows), data.get("total-arrows"));
        assertEquals(String.valueOf(shown), data.get("arrows"));
        Chromium.screenshot(page.toUri() + "#cmd=BeginSnapshot", Path.of("target", "trace-cs380d.png"), tmp.resolve("profile"));
    }

    /**
     * The ShiViz export read by ShiViz's own parser and drawn by its own page, with the README's
     * expression: every line an event, a host per process, no error shown, a diagram drawn.
     */
    @Test
    void theShiVizLogParsesAndDrawsInShiVizItself() throws Exception {
        Path shiviz = ShiViz.home();
        Chromium.binary();
        Path logs = tmp.resolve("logs");
        Path log = tmp.resolve("run.log");
        master(logs, log, Path.of("test-cases", "cs380d", "spec-example1.txt").toAbsolutePath());
        List<String> lines = Files.readAllLines(log);
        Set<String> hosts = new HashSet<>();
        lines.forEach(l -> hosts.add(l.substring(0, l.indexOf(' '))));
        Map<String, String> data = ShiViz.visualize(shiviz, Files.readString(log), TraceReport.SHIVIZ_REGEX, tmp,
                tmp.resolve("profile"));
        assertNull(data.get("errors"), "script errors in ShiViz: " + data);
        assertEquals("", data.get("errorbox"), "ShiViz refused the log: " + data);
        assertEquals("1", data.get("ready"), data.toString());
        assertEquals(String.valueOf(lines.size()), data.get("events"), "ShiViz read every line as an event");
        assertEquals(String.valueOf(hosts.size()), data.get("hosts"), "a ShiViz host per process");
        assertEquals(String.valueOf(hosts.size()), data.get("drawn-hosts"), "a lane drawn per host");
        assertTrue(Integer.parseInt(data.get("drawn-lines")) > 0, "messages drawn: " + data);
    }
}
