package synod.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import synod.runtime.Control;
import synod.runtime.MessageCheck;
import synod.runtime.Trace;

/**
 * The trace's merge, its ShiViz clocks and its picture, on a generated run of 10,000 events (the
 * size the page must stay usable at) whose lanes and arrows are known, drawn in headless Chromium.
 */
class TraceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> NODES = List.of("master", "n1", "n2", "n3", "n4", "n5");
    private static final List<String> TYPES = List.of("Prepare", "Promise", "Accept", "Accepted", "Decide", "Heartbeat");

    @TempDir
    Path tmp;

    /** What the generator wrote: messages received (arrows), and those of them the page shows at first. */
    record Run(int events, int arrows, int shownArrows) {}

    /**
     * 5,050 messages among six processes: every 7th received "before" it was sent by the wall clock
     * (the merge must still put it after its send), every 50th never received.
     */
    private Run generate(Path logs) throws IOException {
        Map<String, List<String>> lines = new HashMap<>();
        Map<String, Long> count = new HashMap<>();
        int events = 0;
        int arrows = 0;
        int shown = 0;
        long t = 1_000_000;
        lines.computeIfAbsent("master", k -> new ArrayList<>()).add(event("master", 1, t, "cmd", "StartCluster 1 5", null, null));
        count.put("master", 1L);
        events++;
        for (int i = 0; i < 5_050; i++) { // 1 + 5,050 sends + 4,949 receives = 10,000 events
            String from = NODES.get(i % NODES.size());
            String to = NODES.get((i * 7 + 3) % NODES.size());
            if (to.equals(from)) {
                to = NODES.get((NODES.indexOf(from) + 1) % NODES.size());
            }
            String type = TYPES.get(i % TYPES.size());
            long s = count.merge(from, 1L, Long::sum);
            t += 10;
            lines.computeIfAbsent(from, k -> new ArrayList<>()).add(event(from, s, t, "send", type, to, null));
            events++;
            if (i % 50 == 49) {
                continue;
            }
            long r = count.merge(to, 1L, Long::sum);
            lines.computeIfAbsent(to, k -> new ArrayList<>())
                    .add(event(to, r, i % 7 == 0 ? t - 3 : t + 4, "recv", type, from, from + ":" + s));
            events++;
            arrows++;
            shown += type.equals("Heartbeat") ? 0 : 1;
        }
        for (Map.Entry<String, List<String>> e : lines.entrySet()) {
            Files.createDirectories(logs.resolve(e.getKey()));
            Files.write(logs.resolve(e.getKey()).resolve(Trace.FILE), e.getValue(), StandardCharsets.UTF_8);
        }
        return new Run(events, arrows, shown);
    }

    private static String event(String node, long n, long us, String kind, String type, String peer, String src) {
        ObjectNode e = JSON.createObjectNode();
        e.put("id", node + ":" + n).put("node", node).put("us", us).put("kind", kind).put("type", type);
        if (peer != null) {
            e.put("peer", peer);
        }
        if (src != null) {
            e.put("src", src);
        }
        e.putObject("f").put("ballot", "1." + n).put("slot", n);
        return e.toString();
    }

    @Test
    void mergePutsEveryReceiveAfterItsSendAndGivesShiVizConsistentClocks() throws IOException {
        Path logs = tmp.resolve("logs");
        Run run = generate(logs);
        Files.writeString(logs.resolve("n3").resolve(Trace.FILE), "{\"id\":\"n3:99", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND); // a torn last line, as kill -9 leaves
        List<ObjectNode> merged = TraceReport.merge(logs);
        assertEquals(run.events(), merged.size());
        Map<String, Integer> position = new HashMap<>();
        Map<String, Long> own = new HashMap<>();
        for (int i = 0; i < merged.size(); i++) {
            ObjectNode e = merged.get(i);
            position.put(e.get("id").asText(), i);
            String host = e.get("node").asText();
            long c = e.get("svc").get(host).asLong();
            assertEquals(own.getOrDefault(host, 0L) + 1, c, "the host's own clock ticks by one: " + e);
            own.put(host, c);
            if (e.hasNonNull("src")) {
                ObjectNode send = merged.get(position.get(e.get("src").asText())); // absent: received before sent
                send.get("svc").fields().forEachRemaining(x ->
                        assertTrue(e.get("svc").path(x.getKey()).asLong() >= x.getValue().asLong(), "receive knows its send: " + e));
            }
        }
        Path log = tmp.resolve("run.log");
        TraceReport.writeShiViz(merged, log);
        assertTrue(Files.readString(Path.of("README.md")).contains("\n" + TraceReport.SHIVIZ_REGEX + "\n"),
                "the README gives ShiViz the expression these lines are written for");
        Pattern shiviz = Pattern.compile(TraceReport.SHIVIZ_REGEX);
        List<String> lines = Files.readAllLines(log);
        assertEquals(run.events(), lines.size());
        for (String line : lines) {
            Matcher m = shiviz.matcher(line);
            assertTrue(m.matches(), "ShiViz's parser would not read: " + line);
            JsonNode clock = JSON.readTree(m.group("clock"));
            assertTrue(clock.get(m.group("host")).asLong() > 0, line);
        }
    }

    @Test
    void tenThousandEventsDrawInChromiumWithTheirLanesAndArrows() throws Exception {
        Chromium.binary();
        Path logs = tmp.resolve("logs");
        Run run = generate(logs);
        Path page = tmp.resolve("run.html");
        assertEquals(10_000, run.events());
        assertEquals(run.events(), TraceReport.write(logs, page, "generated </script> run"));
        Map<String, String> data = Chromium.bodyData(page, tmp.resolve("profile"));
        assertNull(data.get("errors"), "script errors on the page: " + data);
        assertEquals("1", data.get("ready"), "the page's script did not finish: " + data);
        assertEquals(String.valueOf(NODES.size()), data.get("lanes"));
        assertEquals(String.valueOf(run.events()), data.get("total-events"));
        assertEquals(String.valueOf(run.arrows()), data.get("total-arrows"));
        assertEquals(String.valueOf(run.shownArrows()), data.get("arrows"), "heartbeats are hidden at first");
        Path png = Path.of("target", "trace-10k.png");
        Files.createDirectories(png.getParent());
        Chromium.screenshot(page.toUri().toString(), png, tmp.resolve("profile"));
    }

    @Test
    void aFieldIsCutToWhatAReaderNeeds() throws IOException {
        synod.runtime.FrameCodec codec = new synod.runtime.FrameCodec(1 << 20);
        ByteBuffer small = codec.encode(new Control.SetLive(List.of("n1", "n2")));
        small.position(4);
        JsonNode f = JSON.readTree(Trace.fields(new StringBuilder(), small).toString());
        assertEquals("[\"n1\",\"n2\"]", f.get("live").toString(), "a short frame's fields as they are: " + f);
        ByteBuffer big = codec.encode(new Control.AuthRefused("x".repeat(5000) + "\"\\"));
        big.position(4);
        JsonNode cut = JSON.readTree(Trace.fields(new StringBuilder(), big).toString());
        assertTrue(cut.get("json").asText().startsWith("{\"type\":\"AuthRefused\",\"reason\":\"xxx"), cut.toString());
        assertTrue(cut.get("json").asText().length() < 200, "a long one cut: " + cut.get("json").asText().length());
    }

    @Test
    void theEdgeRefusesABadStamp() throws MessageCheck.Bad {
        MessageCheck check = MessageCheck.lenient(1 << 20);
        check.check(new Control.Stamp("n1:5", Map.of("n1", 5L, "master", 2L)));
        assertThrows(MessageCheck.Bad.class, () -> check.check(new Control.Stamp("n1", Map.of())));
        assertThrows(MessageCheck.Bad.class, () -> check.check(new Control.Stamp("n1:5", Map.of("n1", -1L))));
        assertThrows(MessageCheck.Bad.class, () -> check.check(new Control.Stamp("n1:x5", Map.of())));
        assertFalse(TraceReport.supported("out.txt"));
        assertTrue(TraceReport.supported("out.HTML") && TraceReport.supported("run.log"));
    }

    @Test
    void aRestartedNodesClockContinuesPastWhatItsLostBufferHeld() throws IOException {
        Path file = tmp.resolve(Trace.FILE);
        assertEquals(-1, Trace.lastOwnClock(file, "n1"));
        Files.writeString(file, "{\"id\":\"n1:7\",\"vc\":{\"n1\":7,\"n2\":40}}\n{\"id\":\"n1:8\",\"vc\":{\"n1\":8,\"n2\":41}}\n{\"id\":\"n1:9\",\"vc\":{\"n");
        assertEquals(8, Trace.lastOwnClock(file, "n1"));
        StringBuilder big = new StringBuilder(); // a long run's trace: only its end is read, in a node's small heap
        for (int i = 1; i <= 40_000; i++) {
            big.append("{\"id\":\"n1:").append(i).append("\",\"kind\":\"send\",\"vc\":{\"n1\":").append(i)
                    .append(",\"n2\":").append(i * 3).append("},\"f\":{\"pad\":\"").append("p".repeat(40)).append("\"}}\n");
        }
        Files.writeString(file, big);
        assertTrue(Files.size(file) > 3 << 20, "the file is larger than the tail read");
        assertEquals(40_000, Trace.lastOwnClock(file, "n1"));
    }
}
