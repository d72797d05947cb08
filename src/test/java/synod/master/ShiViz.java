package synod.master;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * ShiViz itself (github.com/DistributedClocks/shiviz, MIT licence; not vendored: about 6 MB) reading
 * a log as a user does: its own page and scripts, our log in its input box, the README's expression
 * in its parser field, "visualize". The copy is looked for in {@code $SHIVIZ_HOME}, else
 * {@code target/shiviz} ({@code make shiviz} clones it there); where there is none the checks are
 * skipped, saying so.
 */
final class ShiViz {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ShiViz() {}

    static Path home() {
        String env = System.getenv("SHIVIZ_HOME");
        Path home = Path.of(env != null && !env.isBlank() ? env : "target/shiviz").toAbsolutePath();
        if (!Files.isRegularFile(home.resolve("index.html")) || !Files.isRegularFile(home.resolve("js/model/parser.js"))) {
            Assumptions.abort("no ShiViz at " + home + " (make shiviz clones github.com/DistributedClocks/shiviz there,"
                    + " or set SHIVIZ_HOME to a copy): the check of the .log in ShiViz itself is skipped");
        }
        return home;
    }

    /**
     * ShiViz's page with {@code log} and {@code regex} entered and visualised once jQuery's ready
     * handlers (ShiViz's own first) have run; the body's data attributes then say what happened:
     * {@code events} and {@code hosts} as ShiViz's LogParser and ModelGraph read them, {@code
     * drawn-nodes} and {@code drawn-lines} in the diagram's SVG, {@code errorbox} the error ShiViz
     * shows a user, {@code errors} any script error, {@code ready} once done.
     */
    static Map<String, String> visualize(Path home, String log, String regex, Path dir, Path profile)
            throws IOException, InterruptedException {
        String page = Files.readString(home.resolve("index.html"), StandardCharsets.UTF_8);
        if (!page.contains("<head>") || !page.contains("</body>")) {
            throw new IllegalStateException(home.resolve("index.html") + " is not the ShiViz page this test knows");
        }
        String script = """
                <script>
                var synodErrors = [];
                window.addEventListener("error", function (e) { synodErrors.push(String(e.message)); });
                $(function () {
                  var b = document.body.dataset;
                  try {
                    var log = @@LOG@@, re = @@REGEX@@;
                    var events = new LogParser(log, null, new NamedRegExp(re, "m")).getLogEvents("");
                    b.events = events.length;
                    b.hosts = new ModelGraph(events).getHosts().length;
                    $("#input").val(log);
                    $("#parser").val(re);
                    $("#delimiter").val("");
                    Shiviz.getInstance().go(2, false, true);
                    b.drawnNodes = $("#vizContainer svg g").length;
                    b.drawnLines = $("#vizContainer svg line").length;
                    b.drawnHosts = $("#hostBar svg g").length;
                  } catch (e) {
                    synodErrors.push(e && e.getMessage ? e.getMessage() : String(e));
                  }
                  b.errorbox = $("#errorbox").text();
                  if (synodErrors.length) {
                    b.errors = synodErrors.join(" | ");
                  }
                  b.ready = "1";
                });
                </script>
                """.replace("@@REGEX@@", jsString(regex)).replace("@@LOG@@", jsString(log));
        page = page.replace("<head>", "<head><base href=\"" + home.toUri() + "\">")
                .replace("</body>", script + "</body>");
        Path harness = dir.resolve("shiviz-harness.html");
        Files.writeString(harness, page, StandardCharsets.UTF_8);
        return Chromium.bodyData(harness, profile);
    }

    /** A JavaScript string literal that cannot end the script element it sits in. */
    private static String jsString(String s) throws IOException {
        return JSON.writeValueAsString(s).replace("</", "<\\/");
    }
}
