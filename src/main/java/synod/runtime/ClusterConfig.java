package synod.runtime;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code config/cluster.json}: limits and timeouts every process of a run shares. Unknown keys are
 * refused, so a typo is an error rather than a silently ignored setting.
 *
 * <p>{@code authenticate} (default true): every connection proves the cluster's key
 * ({@link Handshake}); {@code clusterId} and {@code clusterKey} (base64, 16 bytes or more), when
 * given, are that key for nodes started by hand (the master otherwise makes one per cluster);
 * {@code bufferBytesMax}: the transport's memory budget ({@link Transport.Settings}).
 */
public record ClusterConfig(int frameBytesMax, String nodeHeap, long startMillis, long commandMillis,
                            long stallMillis, long helloMillis, String host, int masterPort, int basePort,
                            int maxNodes, int tickMillis, long requestMillis, boolean authenticate,
                            String clusterId, String clusterKey, long bufferBytesMax) {

    public static final ClusterConfig DEFAULT = new ClusterConfig(1 << 20, "64m", 30_000, 30_000, 10_000, 10_000,
            "127.0.0.1", 7100, 7100, 25, 10, 5_000, true, null, null, Transport.Settings.BUFFER_BYTES_MAX);

    /** Every field but the secret, which no error message or log line may show. */
    @Override
    public String toString() {
        return "ClusterConfig[frameBytesMax=" + frameBytesMax + ", nodeHeap=" + nodeHeap + ", startMillis=" + startMillis
                + ", commandMillis=" + commandMillis + ", stallMillis=" + stallMillis + ", helloMillis=" + helloMillis
                + ", host=" + host + ", masterPort=" + masterPort + ", basePort=" + basePort + ", maxNodes=" + maxNodes
                + ", tickMillis=" + tickMillis + ", requestMillis=" + requestMillis + ", authenticate=" + authenticate
                + ", clusterId=" + clusterId + ", clusterKey=" + (clusterKey == null ? "null" : "(secret)")
                + ", bufferBytesMax=" + bufferBytesMax + "]";
    }

    /** This config with authentication on or off (the benchmark's two sides). */
    public ClusterConfig withAuthenticate(boolean on) {
        return new ClusterConfig(frameBytesMax, nodeHeap, startMillis, commandMillis, stallMillis, helloMillis, host,
                masterPort, basePort, maxNodes, tickMillis, requestMillis, on, clusterId, clusterKey, bufferBytesMax);
    }

    /** This config with nodes of {@code heap}. */
    public ClusterConfig withNodeHeap(String heap) {
        return new ClusterConfig(frameBytesMax, heap, startMillis, commandMillis, stallMillis, helloMillis, host,
                masterPort, basePort, maxNodes, tickMillis, requestMillis, authenticate, clusterId, clusterKey,
                bufferBytesMax);
    }

    /** Writes this config as JSON, for processes started with {@code --config}. */
    public void save(Path file) throws IOException {
        Files.writeString(file, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n");
    }

    /** Paxos node ids are {@code n1 .. nMaxNodes}; node {@code nK} listens on {@code basePort + K}. */
    public int port(String node) {
        int k = number(node);
        if (k < 1 || k > maxNodes) {
            throw new IllegalArgumentException("no node " + node + " (this config has n1..n" + maxNodes + ")");
        }
        return basePort + k;
    }

    /** "n3" and "3" both name node 3; anything else is -1. */
    public static int number(String node) {
        String digits = node.startsWith("n") ? node.substring(1) : node;
        try {
            return digits.isEmpty() || digits.length() > 4 ? -1 : Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Reads {@code file} over the defaults (a key it leaves out keeps its default); a missing file
     * means the defaults unless {@code mustExist}.
     */
    public static ClusterConfig load(Path file, boolean mustExist) throws IOException {
        if (!Files.exists(file) && !mustExist) {
            return DEFAULT;
        }
        ObjectMapper mapper = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
        ObjectNode merged = mapper.valueToTree(DEFAULT);
        JsonNode given = mapper.readTree(file.toFile());
        if (given == null || !given.isObject()) {
            throw new IOException(file + ": not a JSON object");
        }
        for (var it = given.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!merged.has(key)) {
                throw new IOException(file + ": unknown key \"" + key + "\" (known: " + merged.properties().stream()
                        .map(java.util.Map.Entry::getKey).toList() + ")");
            }
        }
        merged.setAll((ObjectNode) given);
        ClusterConfig c = mapper.treeToValue(merged, ClusterConfig.class);
        if (c.frameBytesMax < 1024 || c.startMillis < 100 || c.commandMillis < 100 || c.stallMillis < 10
                || c.helloMillis < 10 || c.nodeHeap == null || !c.nodeHeap.matches("\\d+[kmgKMG]?")
                || c.host == null || c.masterPort < 1 || c.basePort < 1 || c.maxNodes < 1
                || c.basePort + c.maxNodes > 65535 || c.tickMillis < 1 || c.requestMillis < 10
                || c.bufferBytesMax < 2L * c.frameBytesMax) {
            throw new IOException(file + ": a value is out of range: " + c);
        }
        try {
            ClusterKey.fromConfig(c);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": clusterId/clusterKey: " + e.getMessage());
        }
        if (c.masterPort > c.basePort && c.masterPort <= c.basePort + c.maxNodes) {
            throw new IOException(file + ": masterPort " + c.masterPort + " is also the port of node n"
                    + (c.masterPort - c.basePort) + " (nodes listen on basePort+1 .. basePort+maxNodes = "
                    + (c.basePort + 1) + ".." + (c.basePort + c.maxNodes) + ")");
        }
        return c;
    }

    public Transport.Settings transportSettings() {
        return new Transport.Settings(stallMillis, helloMillis, Transport.Settings.DEFAULT.outBytesMax(),
                Transport.Settings.DEFAULT.backoffMinMillis(), Transport.Settings.DEFAULT.backoffMaxMillis(),
                bufferBytesMax);
    }
}
