package synod.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium for the trace page's tests: the DOM after the page's script has run, and a
 * screenshot. {@code make test} installs the distribution's chromium first; where it is still
 * missing the tests are skipped, saying so.
 */
final class Chromium {
    private static final long BOUND_SECONDS = 120;

    private Chromium() {}

    static String binary() {
        for (String b : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(b))) {
                return b;
            }
        }
        Assumptions.abort("no chromium on this machine (make test installs the distribution's chromium with apt-get;"
                + " here it could not be): the browser checks of the trace page are skipped");
        return null;
    }

    /** The body's data attributes once the page has loaded and its script has run. */
    static Map<String, String> bodyData(Path page, Path profile) throws IOException, InterruptedException {
        String dom = run(profile, "--virtual-time-budget=10000", "--dump-dom", page.toUri().toString());
        Matcher body = Pattern.compile("<body([^>]*)>").matcher(dom);
        assertTrue(body.find(), "no body in the dumped DOM:\n" + dom.substring(0, Math.min(2000, dom.length())));
        Map<String, String> data = new HashMap<>();
        Matcher a = Pattern.compile("data-([a-z-]+)=\"([^\"]*)\"").matcher(body.group(1));
        while (a.find()) {
            data.put(a.group(1), a.group(2));
        }
        return data;
    }

    /** A screenshot of {@code page} (with a fragment, say) into {@code png}. */
    static void screenshot(String pageUrl, Path png, Path profile) throws IOException, InterruptedException {
        run(profile, "--window-size=1300,1000", "--screenshot=" + png, pageUrl);
        assertTrue(Files.size(png) > 10_000, "a screenshot of " + Files.size(png) + " bytes is blank");
    }

    private static String run(Path profile, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(profile.getParent(), "chromium", ".out");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!p.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("chromium did not finish within " + BOUND_SECONDS + " s: " + cmd);
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), "chromium failed: " + cmd);
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
