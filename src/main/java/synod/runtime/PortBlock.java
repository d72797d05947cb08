package synod.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A private block of ports for one run of the end-to-end tests or of {@code bin/grade}: a copy of a
 * cluster config whose {@code masterPort} and {@code basePort} name a randomly placed block, every
 * port of which was free when probed. So two runs on one machine do not share ports.
 *
 * <p>The block is probed, not held: the master and its nodes must bind it themselves, so another
 * process may still take a port in between. That shows as "cannot listen on" (from the master, or
 * in a node's {@code node.out}), and a run that sees it asks for another block and starts over.
 *
 * <p>{@code java -cp synod.jar synod.runtime.PortBlock TEMPLATE OUT} writes OUT from TEMPLATE (a
 * missing TEMPLATE means the defaults, as for the master).
 */
public final class PortBlock {
    /** Ports a block reserves at least: the master and nodes n1..n25, whatever maxNodes a config says today. */
    static final int PORTS_MIN = 26;
    /** Bases are multiples of this, so two blocks are the same block or disjoint, never half-overlapping. */
    static final int ALIGN = 32;
    /**
     * Bases lie below Linux's ephemeral range (32768-60999), from which every outgoing connection on
     * the machine takes its local port: a block there could be taken by any of them between probe and bind.
     */
    static final int LOW = 20_000;
    static final int HIGH = 32_768;
    static final int TRIES = 200;

    private PortBlock() {}

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: PortBlock TEMPLATE OUT");
            System.exit(2);
        }
        try {
            write(Path.of(args[0]), Path.of(args[1]));
        } catch (IOException e) {
            System.err.println("ports: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Writes {@code out}: {@code template} with a free block of ports of its own; returns what it wrote. */
    public static ClusterConfig write(Path template, Path out) throws IOException {
        ClusterConfig given = ClusterConfig.load(template, false);
        int base = freeBase(given, LOW, HIGH);
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode json = Files.exists(template) ? (ObjectNode) mapper.readTree(template.toFile())
                : mapper.valueToTree(ClusterConfig.DEFAULT);
        // the master on the base itself and node nK on base + K, as in config/cluster.json
        json.put("masterPort", base);
        json.put("basePort", base);
        Files.writeString(out, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
        return ClusterConfig.load(out, true);
    }

    /** A random aligned base in [low, high) whose ports base .. base + maxNodes are all free on the config's host. */
    static int freeBase(ClusterConfig c, int low, int high) throws IOException {
        int stride = (Math.max(PORTS_MIN, c.maxNodes() + 1) + ALIGN - 1) / ALIGN * ALIGN;
        int first = (low + stride - 1) / stride;
        int blocks = high / stride - first;
        if (blocks < 1) {
            throw new IOException("no room for " + (c.maxNodes() + 1) + " ports between " + low + " and " + high);
        }
        for (int i = 0; i < TRIES; i++) {
            int base = (first + ThreadLocalRandom.current().nextInt(blocks)) * stride;
            if (allFree(c.host(), base, base + c.maxNodes())) {
                return base;
            }
        }
        throw new IOException("no free block of " + (c.maxNodes() + 1) + " ports on " + c.host() + " in "
                + TRIES + " tries");
    }

    /** Binds each port of {@code from .. to} in turn, as the master and nodes will (SO_REUSEADDR), and lets it go. */
    private static boolean allFree(String host, int from, int to) {
        for (int port = from; port <= to; port++) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(host, port), 1);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
