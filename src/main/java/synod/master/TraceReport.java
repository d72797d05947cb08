package synod.master;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import synod.runtime.Trace;

/**
 * The end of a traced run: every process's {@code trace.jsonl} merged into one causal order, written
 * as the self-contained HTML picture or as a ShiViz log (by the output's extension).
 *
 * <p>The order: each process's events in the order it recorded them, each receive after the send
 * its stamp names, and otherwise by wall time (one machine, one clock). The ShiViz clocks are
 * recomputed along that order (one tick per event, a receive merging its send's), so they stay
 * consistent where a node killed with -9 lost its last events, and a restarted node continues its
 * host's clock.
 */
public final class TraceReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The ShiViz parser expression for {@link #writeShiViz}'s lines, as the README gives it. */
    public static final String SHIVIZ_REGEX = "^(?<host>\\S+) (?<clock>\\{.*?\\}) (?<event>.*)$";

    private TraceReport() {}

    /** Whether {@code file} names an output this writes: {@code .html} or {@code .log}. */
    public static boolean supported(String file) {
        String f = file.toLowerCase(Locale.ROOT);
        return f.endsWith(".html") || f.endsWith(".htm") || f.endsWith(".log");
    }

    /** Merges the traces under {@code logs} and writes {@code out}; returns the number of events. */
    public static int write(Path logs, Path out, String title) throws IOException {
        List<ObjectNode> events = merge(logs);
        if (out.toString().toLowerCase(Locale.ROOT).endsWith(".log")) {
            writeShiViz(events, out);
        } else {
            writeHtml(events, out, title);
        }
        return events.size();
    }

    /** Every event under {@code logs}, in causal order, each with its lane and ShiViz clock ("svc"). */
    static List<ObjectNode> merge(Path logs) throws IOException {
        List<List<ObjectNode>> lanes = new ArrayList<>();
        Map<String, ObjectNode> byId = new HashMap<>();
        for (Path f : Trace.files(logs)) {
            List<ObjectNode> lane = new ArrayList<>();
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                ObjectNode e;
                try {
                    JsonNode n = JSON.readTree(line);
                    if (!(n instanceof ObjectNode o) || !o.hasNonNull("id") || !o.hasNonNull("node")) {
                        continue;
                    }
                    e = o;
                } catch (IOException torn) {
                    continue; // a line cut by kill -9
                }
                lane.add(e);
                byId.put(e.get("id").asText(), e);
            }
            lanes.add(lane);
        }
        return order(lanes, byId);
    }

    /** Kahn's algorithm: ready events (lane predecessor and send done) leave earliest first. */
    private static List<ObjectNode> order(List<List<ObjectNode>> lanes, Map<String, ObjectNode> byId) {
        // by identity: a JSON node's hash is its content, which placing an event changes
        Map<ObjectNode, List<ObjectNode>> waitingOn = new IdentityHashMap<>();
        Map<ObjectNode, Integer> blockers = new IdentityHashMap<>();
        Map<ObjectNode, ObjectNode> next = new IdentityHashMap<>();
        PriorityQueue<ObjectNode> ready = new PriorityQueue<>((a, b) -> Long.compare(a.path("us").asLong(), b.path("us").asLong()));
        for (List<ObjectNode> lane : lanes) {
            for (int i = 0; i < lane.size(); i++) {
                ObjectNode e = lane.get(i);
                int n = i > 0 ? 1 : 0;
                if (i + 1 < lane.size()) {
                    next.put(e, lane.get(i + 1));
                }
                ObjectNode send = e.hasNonNull("src") ? byId.get(e.get("src").asText()) : null;
                if (send != null && send != e) {
                    waitingOn.computeIfAbsent(send, k -> new ArrayList<>()).add(e);
                    n++;
                }
                blockers.put(e, n);
                if (n == 0) {
                    ready.add(e);
                }
            }
        }
        List<ObjectNode> out = new ArrayList<>(blockers.size());
        Map<String, Map<String, Long>> clocks = new TreeMap<>();
        while (!ready.isEmpty()) {
            ObjectNode e = ready.poll();
            place(e, byId, clocks);
            out.add(e);
            List<ObjectNode> after = new ArrayList<>(waitingOn.getOrDefault(e, List.of()));
            if (next.containsKey(e)) {
                after.add(next.get(e));
            }
            for (ObjectNode a : after) {
                if (blockers.merge(a, -1, Integer::sum) == 0) {
                    ready.add(a);
                }
            }
        }
        if (out.size() < blockers.size()) { // only duplicated ids could make a cycle: keep the rest by time
            blockers.keySet().stream().filter(e -> !e.has("svc"))
                    .sorted((a, b) -> Long.compare(a.path("us").asLong(), b.path("us").asLong()))
                    .forEach(e -> {
                        place(e, byId, clocks);
                        out.add(e);
                    });
        }
        return out;
    }

    /** Sets the event's lane (a kill is drawn on its victim's) and its ShiViz clock. */
    private static void place(ObjectNode e, Map<String, ObjectNode> byId, Map<String, Map<String, Long>> clocks) {
        String host = e.get("node").asText();
        String lane = e.path("kind").asText().equals("kill") ? e.path("f").path("target").asText(host) : host;
        e.put("lane", lane);
        Map<String, Long> vc = clocks.computeIfAbsent(host, k -> new TreeMap<>());
        ObjectNode send = e.hasNonNull("src") ? byId.get(e.get("src").asText()) : null;
        if (send != null && send.has("svc")) {
            send.get("svc").fields().forEachRemaining(x -> vc.merge(x.getKey(), x.getValue().asLong(), Math::max));
        }
        vc.merge(host, 1L, Long::sum);
        e.set("svc", JSON.valueToTree(vc));
    }

    /** One line per event: host, clock, and what happened (kind, type, peer, fields). */
    static void writeShiViz(List<ObjectNode> events, Path out) throws IOException {
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (ObjectNode e : events) {
                w.write(e.get("node").asText() + " " + e.get("svc") + " " + describe(e) + "\n");
            }
        }
    }

    /** "send Prepare to n2 {ballot:...}": an event in words, on one line. */
    static String describe(ObjectNode e) {
        String kind = e.path("kind").asText();
        StringBuilder s = new StringBuilder(kind).append(' ').append(e.path("type").asText());
        if (e.hasNonNull("peer")) {
            s.append(kind.equals("send") ? " to " : " from ").append(e.get("peer").asText());
        }
        JsonNode f = e.path("f");
        if (f.size() > 0) {
            s.append(' ').append(f.toString().replace('\n', ' '));
        }
        return s.toString();
    }

    /** The picture: the page template with the events inlined (no network needed to open it). */
    static void writeHtml(List<ObjectNode> events, Path out, String title) throws IOException {
        String page;
        try (InputStream in = TraceReport.class.getResourceAsStream("/synod/trace.html")) {
            if (in == null) {
                throw new IOException("the page template synod/trace.html is missing from the jar");
            }
            page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ArrayNode data = JSON.createArrayNode();
        for (ObjectNode e : events) {
            ObjectNode d = data.addObject();
            for (String k : List.of("id", "node", "lane", "us", "kind", "type", "peer", "src", "f", "vc")) {
                if (e.has(k)) {
                    d.set(k, e.get(k));
                }
            }
        }
        ObjectNode doc = JSON.createObjectNode();
        doc.put("title", title);
        doc.set("events", data);
        // "</" inside a string would end the script element early
        String json = JSON.writeValueAsString(doc).replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
        int at = page.indexOf("/*TRACE*/null");
        if (at < 0) {
            throw new IOException("the page template has no /*TRACE*/null placeholder");
        }
        String html = page.substring(0, at) + json + page.substring(at + "/*TRACE*/null".length());
        Files.writeString(out, html.replace("<title>synod trace</title>",
                "<title>synod trace: " + escape(title) + "</title>"), StandardCharsets.UTF_8);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
