package synod.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An answer to the master fits one frame: a node that built a larger one died encoding it. */
class NodeQueriesFitTest {
    static final int FRAME = 64 * 1024;
    final FrameCodec codec = new FrameCodec(FRAME);

    int encoded(List<String> lines) {
        return codec.encode(new Control.QueryReply(Long.MAX_VALUE, lines)).getInt();
    }

    @Test
    void anAnswerThatFitsIsUnchanged() {
        List<String> lines = List.of("n1 : E", "x".repeat(30_000));
        assertSame(lines, NodeQueries.fit(lines, FRAME));
    }

    @Test
    void longLinesAreCutAndThenTheOldestLeftOut() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            lines.add("recv n2 Accept " + i + " " + "\u00e9\"".repeat(20_000));
        }
        List<String> fit = NodeQueries.fit(lines, FRAME);
        assertTrue(encoded(fit) <= FRAME);
        assertTrue(fit.get(0).matches("\\.\\.\\. \\(\\d+ earlier lines left out: the answer must fit a frame\\)"), fit.get(0));
        String newest = fit.get(fit.size() - 1);
        assertTrue(newest.startsWith("recv n2 Accept 199 ") && newest.endsWith("... (40019 chars in all)"),
                newest.substring(0, 40));
        assertEquals(NodeQueries.LINE_CHARS_MAX + "... (40019 chars in all)".length(), newest.length());
    }
}
