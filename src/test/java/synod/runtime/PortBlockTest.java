package synod.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A private block of ports: a copy of the config on free ports, and a taken port is never handed out. */
class PortBlockTest {
    @TempDir
    Path tmp;

    @Test
    void theCopyKeepsEverySettingButThePortsAndItsPortsAreFree() throws Exception {
        Path template = tmp.resolve("template.json");
        Files.writeString(template, "{\"requestMillis\": 777, \"maxNodes\": 5, \"masterPort\": 7100}\n");
        ClusterConfig c = PortBlock.write(template, tmp.resolve("cluster.json"));
        assertEquals(777, c.requestMillis());
        assertEquals(5, c.maxNodes());
        assertEquals(c.masterPort(), c.basePort());
        assertEquals(0, c.basePort() % PortBlock.ALIGN);
        assertTrue(c.basePort() >= PortBlock.LOW && c.basePort() + PortBlock.PORTS_MIN <= PortBlock.HIGH, "" + c);
        assertEquals(ClusterConfig.DEFAULT.frameBytesMax(), c.frameBytesMax());
        String written = Files.readString(tmp.resolve("cluster.json"));
        assertTrue(written.contains("\"requestMillis\" : 777") && !written.contains("frameBytesMax"), written);
        for (int port = c.masterPort(); port <= c.basePort() + c.maxNodes(); port++) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(c.host(), port));
            }
        }
    }

    @Test
    void aMissingTemplateMeansTheDefaultsOnPortsOfTheirOwn() throws Exception {
        ClusterConfig c = PortBlock.write(tmp.resolve("none.json"), tmp.resolve("cluster.json"));
        assertEquals(ClusterConfig.DEFAULT.maxNodes(), c.maxNodes());
        assertTrue(c.basePort() >= PortBlock.LOW, "" + c);
    }

    @Test
    void aBlockWithOneTakenPortIsNeverHandedOut() throws Exception {
        ClusterConfig c = ClusterConfig.DEFAULT;
        int base = PortBlock.freeBase(c, PortBlock.LOW, PortBlock.HIGH);
        assertEquals(base, PortBlock.freeBase(c, base, base + PortBlock.ALIGN));
        try (ServerSocket taken = new ServerSocket()) {
            taken.setReuseAddress(true);
            taken.bind(new InetSocketAddress(c.host(), base + c.maxNodes()));
            assertThrows(java.io.IOException.class, () -> PortBlock.freeBase(c, base, base + PortBlock.ALIGN));
        }
    }
}
