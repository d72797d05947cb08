package synod.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StatusLineTest {
    @Test
    void theLineIsRedrawnInPlaceAndWipedAndNothingIsDrawnWithoutText() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        AtomicReference<String> text = new AtomicReference<>("");
        StatusLine line = new StatusLine(text::get, out);
        line.show();
        assertEquals("", bytes.toString(StandardCharsets.UTF_8), "no text, nothing drawn");
        text.set("point 1 of 3 (zipf), 0.5 s elapsed");
        line.show();
        line.clear();
        text.set("");
        String s = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(true, s.startsWith("\r\033[Kpoint 1 of 3 (zipf), 0.5 s elapsed"), s);
        assertEquals(true, s.endsWith("\r\033[K"), "wiped last: " + s);
        assertEquals("12.3 s elapsed", StatusLine.elapsed(0, 12_340_000_000L));
    }
}
