package synod.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import synod.app.Op;
import synod.app.Result;
import synod.paxos.PaxosMsg;
import synod.runtime.Auth;
import synod.runtime.ClusterConfig;
import synod.runtime.ClusterKey;
import synod.runtime.RawPeer;
import synod.runtime.FrameCodec;

/**
 * The edge under fire: a running group of three node JVMs (on a block of free ports of its own)
 * gets a few thousand malformed frames and messages, seeded: the poison pills an
 * outside harness found (fixed cases, first), then random ones of every class: client requests with
 * a field missing, null or of the wrong type, strings that are not valid UTF-16, reserved or
 * unprintable ids, names too long, requests too large for the log and the wire, op types no client
 * may send; frames that are not JSON, lengths out of range, unknown types, no Hello; peer and master
 * messages with fields missing and numbers out of range. A bad client request must be answered
 * ("bad request: ..."), anything else must close its connection; no node may die, no node's state
 * may change, and the group must still answer. {@code -Dfuzz.seed=N} and {@code -Dfuzz.cases=K}
 * replay or widen it.
 */
@Tag("end-to-end")
class EdgeFuzzTest {
    /** Small frames make the size limits cheap to reach. */
    static final int FRAME = 64 * 1024;
    static final int BOUND_MILLIS = 10_000;

    @TempDir
    Path tmp;
    PaxosCluster cluster;
    String classPath;
    final FrameCodec codec = new FrameCodec(FRAME);
    ClusterConfig cfg;

    @AfterEach
    void reap() {
        NodeJvms.reap(cluster, classPath, tmp);
    }

    /**
     * A raw connection to a node, as whoever its Hello names: authenticated with the cluster's key
     * in the role the name implies (so the frames meet the edge, not the handshake), or, without a
     * name, saying no Hello at all. A name no role may take (master) is refused at the handshake.
     */
    final class Raw implements AutoCloseable {
        final RawPeer peer;

        Raw(String node, String as) throws IOException {
            int port = cfg.port(node);
            if (as == null) {
                peer = RawPeer.plain(port, codec, BOUND_MILLIS);
            } else {
                ClusterKey key = ClusterKey.load(tmp.resolve("logs").resolve(node).resolve(ClusterKey.FILE));
                Auth.Role role = as.matches("n\\d+") ? Auth.Role.PEER
                        : as.equals("master") ? Auth.Role.MASTER : Auth.Role.CLIENT;
                peer = RawPeer.authenticated(port, codec, BOUND_MILLIS, as, node, key, role, "1x3");
            }
        }

        void frame(byte[] body) throws IOException {
            if (peer.refusal == null) {
                peer.frame(body);
            }
        }

        void raw(byte[] bytes) throws IOException {
            if (peer.refusal == null) {
                peer.raw(bytes);
            }
        }

        /** The next ClientReply. */
        PaxosMsg.ClientReply reply() throws IOException {
            while (true) {
                if (peer.next() instanceof PaxosMsg.ClientReply r) {
                    return r;
                }
            }
        }

        /** True once the node has closed this connection (it answers nothing, as it must not). */
        boolean closedByNode() throws IOException {
            return peer.closedByNode();
        }

        @Override
        public void close() throws IOException {
            peer.close();
        }
    }

    /** One input: the bytes of a frame body (or raw bytes), whom it claims to be from, and what must follow. */
    record Case(String kind, String from, byte[] body, boolean framed, boolean answered) {
        static Case answered(String kind, String json) {
            return new Case(kind, null, json.getBytes(StandardCharsets.UTF_8), true, true);
        }

        static Case closes(String kind, String from, String json) {
            return new Case(kind, from, json.getBytes(StandardCharsets.UTF_8), true, false);
        }

        static Case rawBytes(String kind, String from, byte[] bytes) {
            return new Case(kind, from, bytes, false, false);
        }
    }

    @Test
    void aGroupUnderMalformedFramesAndMessagesNeitherDiesNorChangesAndStillAnswers() throws Exception {
        long seed = Long.getLong("fuzz.seed", 535);
        int count = Integer.getInteger("fuzz.cases", 3000);
        Path template = tmp.resolve("template.json");
        Path config = tmp.resolve("cluster.json");
        Files.writeString(template, "{\"frameBytesMax\": " + FRAME + ", \"maxNodes\": 3, \"nodeHeap\": \"48m\"}");
        cfg = synod.runtime.PortBlock.write(template, config);
        classPath = System.getProperty("java.class.path");
        System.setProperty("java.class.path", MasterProcessEndToEndTest.childClassPath()); // the nodes' class path
        cluster = new PaxosCluster(cfg, tmp.resolve("logs"), config, seed);
        cluster.start(1, 3);
        assertNotNull(cluster.awaitLeader(1, 20_000), "no leader");
        assertEquals(new Result.Ok(), cluster.submit("setup", 1, new Op.Put("k", "before"), 1).get(20, TimeUnit.SECONDS));
        assertEquals(new Result.Acquired("L", 1), cluster.submit("setup", 2, new Op.Lock("L"), 1).get(20, TimeUnit.SECONDS));
        cluster.settle(1, 5_000);
        Map<String, String> before = states();

        List<Case> cases = new ArrayList<>(FuzzCases.fixed(FRAME));
        Random random = new Random(seed);
        while (cases.size() < count) {
            cases.add(FuzzCases.random(random, FRAME));
        }
        Map<String, Integer> kinds = new TreeMap<>();
        List<String> nodes = cluster.group(1);
        Raw[] clients = new Raw[nodes.size()];
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            kinds.merge(c.kind(), 1, Integer::sum);
            int k = i % nodes.size();
            String node = nodes.get(k);
            if (c.answered()) {
                if (clients[k] == null) {
                    clients[k] = new Raw(node, "fuzz-client");
                }
                PaxosMsg.ClientReply r;
                try {
                    clients[k].frame(c.body());
                    r = clients[k].reply();
                } catch (IOException e) {
                    throw new AssertionError("case " + i + " (" + c.kind() + ") to " + node + " closed the client's"
                            + " connection instead of answering: " + e + "\n" + tail(node), e);
                }
                assertTrue(r.result() instanceof Result.Aborted a && a.reason().startsWith("bad request: "),
                        "case " + i + " (" + c.kind() + ") to " + node + " was answered " + r);
            } else {
                // a fresh name: a second connection under a name takes over from the first (a reconnect)
                String from = "fuzzer".equals(c.from()) ? "fuzzer-" + i : c.from();
                try (Raw raw = new Raw(node, from)) {
                    try {
                        if (c.framed()) {
                            raw.frame(c.body());
                        } else {
                            raw.raw(c.body());
                        }
                    } catch (IOException e) {
                        throw new AssertionError("case " + i + " (" + c.kind() + ", from " + c.from() + ") to " + node
                                + ": the connection broke before its frame was written: " + e, e);
                    }
                    assertTrue(raw.closedByNode(), "case " + i + " (" + c.kind() + ") to " + node
                            + " did not close its connection");
                }
            }
            if (i % 500 == 499) {
                alive(nodes, i);
            }
        }
        for (Raw r : clients) {
            if (r != null) {
                r.close();
            }
        }
        alive(nodes, cases.size());
        cluster.settle(1, 5_000);
        assertEquals(before, states(), "a node's state changed");
        assertEquals(new Result.Value("k", "before"), cluster.submit("after", 1, new Op.Get("k"), 1)
                .get(20, TimeUnit.SECONDS), "the group still answers");
        assertEquals(new Result.Ok(), cluster.submit("after", 2, new Op.Put("k2", "after"), 1).get(20, TimeUnit.SECONDS));
        for (String n : nodes) {
            String log = Files.readString(tmp.resolve("logs").resolve(n).resolve("paxos.log"));
            assertTrue(!log.contains("fuzz"), n + "'s log holds a fuzzed request");
        }
        System.out.println("edge fuzz: seed " + seed + ", " + cases.size() + " cases: " + kinds);
    }

    /** The end of a node's diagnostic log, for a failure message. */
    private String tail(String node) {
        try {
            List<String> lines = Files.readAllLines(tmp.resolve("logs").resolve(node).resolve("node.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private void alive(List<String> nodes, int cases) {
        for (String n : nodes) {
            if (cluster.query(n, "info", 0, BOUND_MILLIS) == null) {
                String out;
                try {
                    out = Files.readString(tmp.resolve("logs").resolve(n).resolve("node.out"));
                } catch (IOException e) {
                    out = e.toString();
                }
                fail(n + " is gone after " + cases + " cases: " + out);
            }
        }
    }

    private Map<String, String> states() {
        return NodeJvms.states(cluster, BOUND_MILLIS);
    }
}
