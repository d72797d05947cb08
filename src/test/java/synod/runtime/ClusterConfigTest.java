package synod.runtime;

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
}
