package synod.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterConfigTest {
    @TempDir
    Path tmp;

    @Test
    void anOutOfRangeValueIsNamedWithoutTheClusterKey() throws Exception {
        String secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC0xMjM0NTY3OA==";
        Path file = tmp.resolve("cluster.json");
        Files.writeString(file, "{\"tickMillis\": 0, \"clusterId\": \"c0ffee\", \"clusterKey\": \"" + secret + "\"}");
        IOException e = assertThrows(IOException.class, () -> ClusterConfig.load(file, true));
        assertTrue(e.getMessage().contains("out of range") && e.getMessage().contains("tickMillis=0"), e.getMessage());
        assertFalse(e.getMessage().contains(secret), "the secret is in the message: " + e.getMessage());
    }

    @Test
    void eachNodeAndTheMasterHaveTheirOwnAddressAndTheRestTheShorthand() throws Exception {
        Path file = tmp.resolve("cluster.json");
        Files.writeString(file, "{\"host\": \"127.0.0.1\", \"basePort\": 7100, \"masterPort\": 7100,"
                + " \"master\": \"10.77.0.100:7000\", \"nodes\": {\"n1\": \"10.77.0.1:7001\", \"n2\": \"[fd00::2]:7002\"}}");
        ClusterConfig c = ClusterConfig.load(file, true);
        assertEquals(new HostPort("10.77.0.100", 7000), c.masterHostPort());
        assertEquals(new HostPort("10.77.0.1", 7001), c.hostPort("n1"));
        assertEquals(new HostPort("fd00::2", 7002), c.hostPort("2"));
        assertEquals("[fd00::2]:7002", c.hostPort("n2").toString());
        assertEquals(new HostPort("127.0.0.1", 7103), c.hostPort("n3"), "a node left out takes host and basePort+K");
        assertEquals(7103, c.port("n3"));
        ClusterConfig shorthand = ClusterConfig.load(tmp.resolve("none.json"), false);
        assertEquals(new HostPort("127.0.0.1", 7100), shorthand.masterHostPort());
        assertEquals(new HostPort("127.0.0.1", 7105), shorthand.hostPort("n5"));
        c.save(tmp.resolve("again.json"));
        assertEquals(c, ClusterConfig.load(tmp.resolve("again.json"), true), "a saved config reads back the same");
    }

    @Test
    void aBadAddressIsRefusedNamingIt() throws Exception {
        String[][] cases = {
            {"\"nodes\": {\"n1\": \"10.77.0.1\"}", "nodes.n1: \"10.77.0.1\" is not host:port"},
            {"\"nodes\": {\"n1\": \"10.77.0.1:0\"}", "not a number in 1..65535"},
            {"\"nodes\": {\"n1\": \"10.77.0.1:70000\"}", "not a number in 1..65535"},
            {"\"nodes\": {\"n1\": \"host:x1\"}", "not a number in 1..65535"},
            {"\"nodes\": {\"n1\": \"fd00::1:7001\"}", "an IPv6 host goes in brackets"},
            {"\"nodes\": {\"n1\": \"bad host:7001\"}", "is not a name or an address"},
            {"\"nodes\": {\"n99\": \"10.77.0.1:7001\"}", "\"n99\" is not a node of this config (n1..n25)"},
            {"\"nodes\": {\"x\": \"10.77.0.1:7001\"}", "\"x\" is not a node of this config"},
            {"\"master\": \":7000\"", "master: \":7000\" is not host:port"},
            {"\"nodes\": {\"n1\": \"10.77.0.1:7001\", \"n2\": \"10.77.0.1:7001\"}", "n2 and n1 both have the address 10.77.0.1:7001"},
            {"\"master\": \"127.0.0.1:7103\"", "n3 and the master both have the address 127.0.0.1:7103"},
            {"\"masterPort\": 7102", "n2 and the master both have the address 127.0.0.1:7102"},
        };
        for (String[] c : cases) {
            Path file = tmp.resolve("cluster.json");
            Files.writeString(file, "{\"basePort\": 7100, " + c[0] + "}");
            IOException e = assertThrows(IOException.class, () -> ClusterConfig.load(file, true), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
        }
    }

    @Test
    void anAddressOfAnotherMachineIsNotLocal() throws Exception {
        new HostPort("127.0.0.1", 7101).mustBeLocal("n1's address");
        IOException e = assertThrows(IOException.class, () -> new HostPort("192.0.2.1", 7101).mustBeLocal("n1's address"));
        assertTrue(e.getMessage().startsWith("n1's address 192.0.2.1:7101 (192.0.2.1) is not an address of this machine"),
                e.getMessage());
        e = assertThrows(IOException.class, () -> new HostPort("0.0.0.0", 7101).mustBeLocal("n1's address"));
        assertTrue(e.getMessage().contains("wildcard"), e.getMessage());
        e = assertThrows(IOException.class, () -> new HostPort("no-such-host.invalid", 7101).mustBeLocal("n1's address"));
        assertTrue(e.getMessage().contains("does not resolve"), e.getMessage());
    }
}
