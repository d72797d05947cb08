package synod.runtime;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
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
 *
 * <p>Addresses: {@code master} ({@code "host:port"}) and {@code nodes} ({@code {"n1": "host:port",
 * ...}}) place each process on a machine of its own; a node left out of {@code nodes}, and the
 * master when {@code master} is left out, take the shorthand: {@code host}, node {@code nK} on port
 * {@code basePort + K}, the master on {@code masterPort}.
 */
public record ClusterConfig(int frameBytesMax, String nodeHeap, long startMillis, long commandMillis,
                            long stallMillis, long helloMillis, String host, int masterPort, int basePort,
                            int maxNodes, int tickMillis, long requestMillis, boolean authenticate,
                            String clusterId, String clusterKey, long bufferBytesMax, String master,
                            Map<String, String> nodes) {

    public static final ClusterConfig DEFAULT = new ClusterConfig(1 << 20, "64m", 30_000, 30_000, 10_000, 10_000,
            "127.0.0.1", 7100, 7100, 25, 10, 5_000, true, null, null, Transport.Settings.BUFFER_BYTES_MAX, null, null);

    /** Every field but the secret, which no error message or log line may show. */
    @Override
    public String toString() {
        return "ClusterConfig[frameBytesMax=" + frameBytesMax + ", nodeHeap=" + nodeHeap + ", startMillis=" + startMillis
                + ", commandMillis=" + commandMillis + ", stallMillis=" + stallMillis + ", helloMillis=" + helloMillis
                + ", host=" + host + ", masterPort=" + masterPort + ", basePort=" + basePort + ", maxNodes=" + maxNodes
                + ", tickMillis=" + tickMillis + ", requestMillis=" + requestMillis + ", authenticate=" + authenticate
                + ", clusterId=" + clusterId + ", clusterKey=" + (clusterKey == null ? "null" : "(secret)")
                + ", bufferBytesMax=" + bufferBytesMax + ", master=" + master + ", nodes=" + nodes + "]";
    }

    /** This config with authentication on or off (the benchmark's two sides). */
    public ClusterConfig withAuthenticate(boolean on) {
        return new ClusterConfig(frameBytesMax, nodeHeap, startMillis, commandMillis, stallMillis, helloMillis, host,
                masterPort, basePort, maxNodes, tickMillis, requestMillis, on, clusterId, clusterKey, bufferBytesMax,
                master, nodes);
    }

    /** This config with nodes of {@code heap}. */
    public ClusterConfig withNodeHeap(String heap) {
        return new ClusterConfig(frameBytesMax, heap, startMillis, commandMillis, stallMillis, helloMillis, host,
                masterPort, basePort, maxNodes, tickMillis, requestMillis, authenticate, clusterId, clusterKey,
                bufferBytesMax, master, nodes);
    }

    /** Writes this config as JSON, for processes started with {@code --config}. */
    public void save(Path file) throws IOException {
        Files.writeString(file, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n");
    }

    /** The port node {@code node} listens on (see {@link #hostPort}). */
    public int port(String node) {
        return hostPort(node).port();
    }

    /**
     * Where Paxos node {@code node} ({@code n1 .. nMaxNodes}) listens: its entry in {@code nodes},
     * else {@code host} and {@code basePort + K}.
     */
    public HostPort hostPort(String node) {
        int k = number(node);
        if (k < 1 || k > maxNodes) {
            throw new IllegalArgumentException("no node " + node + " (this config has n1..n" + maxNodes + ")");
        }
        String given = nodes == null ? null : nodes.get("n" + k);
        return given != null ? HostPort.parse(given) : new HostPort(host, basePort + k);
    }

    /** Node {@code node}'s socket address, its host looked up now. */
    public InetSocketAddress address(String node) {
        return hostPort(node).socket();
    }

    /** Where the master listens: {@code master}, else {@code host} and {@code masterPort}. */
    public HostPort masterHostPort() {
        return master != null ? HostPort.parse(master) : new HostPort(host, masterPort);
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
                        .map(Map.Entry::getKey).toList() + ")");
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
        checkAddresses(file, c);
        return c;
    }

    /** Every address parses, names a node the config has, and belongs to one process only. */
    private static void checkAddresses(Path file, ClusterConfig c) throws IOException {
        if (c.nodes != null) {
            for (var e : c.nodes.entrySet()) {
                if (!e.getKey().matches("n[1-9][0-9]*") || number(e.getKey()) > c.maxNodes) {
                    throw new IOException(file + ": nodes: \"" + e.getKey() + "\" is not a node of this config"
                            + " (n1..n" + c.maxNodes + ")");
                }
            }
        }
        Map<HostPort, String> owner = new HashMap<>();
        for (int k = 0; k <= c.maxNodes; k++) {
            String who = k == 0 ? "the master" : "n" + k;
            HostPort a;
            try {
                a = k == 0 ? c.masterHostPort() : c.hostPort(who);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + (k == 0 ? "master" : "nodes." + who) + ": " + e.getMessage());
            }
            String other = owner.putIfAbsent(a, who);
            if (other != null) {
                throw new IOException(file + ": " + who + " and " + other + " both have the address " + a
                        + " (the shorthand puts node nK on basePort+K = " + (c.basePort + 1) + ".."
                        + (c.basePort + c.maxNodes) + " of host, the master on masterPort)");
            }
        }
    }

    public Transport.Settings transportSettings() {
        return new Transport.Settings(stallMillis, helloMillis, Transport.Settings.DEFAULT.outBytesMax(),
                Transport.Settings.DEFAULT.backoffMinMillis(), Transport.Settings.DEFAULT.backoffMaxMillis(),
                bufferBytesMax);
    }
}
