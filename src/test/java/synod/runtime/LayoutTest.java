package synod.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layouts (GxR) and the config's node and master ports. */
class LayoutTest {
    @TempDir
    Path tmp;

    @Test
    void aGxRLayoutNumbersNodesGroupByGroup() {
        Layout l = Layout.parse("3x3");
        assertEquals(List.of(List.of("n1", "n2", "n3"), List.of("n4", "n5", "n6"), List.of("n7", "n8", "n9")), l.groups());
        assertEquals(2, l.groupOf("n5"));
        assertEquals(0, l.groupOf("n10"));
        assertEquals("3x3", l.toString());
        assertEquals(25, Layout.parse("5X5").nodes().size());
        assertEquals("[[n2, n4]]", Layout.single(List.of("n2", "n4")).toString());
        assertThrows(IllegalArgumentException.class, () -> Layout.parse("3"));
        assertThrows(IllegalArgumentException.class, () -> Layout.parse("0x3"));
        assertThrows(IllegalArgumentException.class, () -> new Layout(List.of(List.of("n1"), List.of("n1"))));
    }

    @Test
    void theDefaultConfigHasRoomForFiveGroupsOfFiveAndAMasterPortNoNodeUses() throws Exception {
        assertEquals(25, ClusterConfig.DEFAULT.maxNodes());
        assertEquals(7125, ClusterConfig.DEFAULT.port("n25"));
        assertThrows(IllegalArgumentException.class, () -> ClusterConfig.DEFAULT.port("n26"));
        Path f = tmp.resolve("c.json");
        Files.writeString(f, "{\"masterPort\": 7105, \"basePort\": 7100}");
        Exception e = assertThrows(java.io.IOException.class, () -> ClusterConfig.load(f, true));
        assertEquals(true, e.getMessage().contains("n5 and the master both have the address 127.0.0.1:7105"), e.getMessage());
        Files.writeString(f, "{\"masterPort\": 7500, \"basePort\": 7500, \"maxNodes\": 25}");
        assertEquals(7525, ClusterConfig.load(f, true).port("n25"));
    }
}
