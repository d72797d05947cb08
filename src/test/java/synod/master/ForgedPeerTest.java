package synod.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import synod.app.Op;
import synod.app.Result;
import synod.core.Message;
import synod.paxos.Ballot;
import synod.paxos.PValue;
import synod.paxos.PaxosMsg;
import synod.paxos.Request;
import synod.paxos.Value;
import synod.runtime.Auth;
import synod.runtime.ClusterConfig;
import synod.runtime.ClusterKey;
import synod.runtime.Control;
import synod.runtime.FrameCodec;
import synod.runtime.RawPeer;

/**
 * The forged-peer attacks of an outside harness, against a real group of three node JVMs: each
 * must now be refused. A Hello as n2 without the key, a proof made with the wrong key, a node of
 * another cluster or layout, a client that names itself n2 or master or claims the peer role,
 * peer and master messages from an authenticated client, and frames replayed, altered or moved to
 * another connection. After all of them no node has died, no state has changed, and the group
 * still answers.
 */
@Tag("end-to-end")
class ForgedPeerTest {
    static final int BOUND_MILLIS = 10_000;

    @TempDir
    Path tmp;
    PaxosCluster cluster;
    String classPath;
    ClusterConfig cfg;
    ClusterKey key;
    FrameCodec codec;

    @BeforeEach
    void start() throws Exception {
        Path config = MasterProcessEndToEndTest.privateConfig(tmp);
        cfg = ClusterConfig.load(config, true);
        codec = new FrameCodec(cfg.frameBytesMax());
        classPath = System.getProperty("java.class.path");
        System.setProperty("java.class.path", MasterProcessEndToEndTest.childClassPath());
        cluster = new PaxosCluster(cfg, tmp.resolve("logs"), config, 7);
        cluster.start(1, 3);
        assertNotNull(cluster.awaitLeader(1, 20_000), "no leader");
        assertEquals(new Result.Ok(), cluster.submit("setup", 1, new Op.Put("k", "before"), 1).get(20, TimeUnit.SECONDS));
        key = ClusterKey.load(tmp.resolve("logs").resolve("n1").resolve(ClusterKey.FILE));
    }

    @AfterEach
    void reap() {
        NodeJvms.reap(cluster, classPath, tmp);
    }

    int port(String node) {
        return cfg.port(node);
    }

    RawPeer dial(String node, String as, ClusterKey k, Auth.Role role, String layout) throws IOException {
        return RawPeer.authenticated(port(node), codec, BOUND_MILLIS, as, node, k, role, layout);
    }

    /** Everything a forged peer tried in the harness, as an authenticated client now sends it. */
    static List<Message> peerAndMasterMessages() {
        Ballot huge = new Ballot((1L << 40) - 1, 3);
        Value forged = new Value(List.of(new Request("forger", 1, new Op.Put("k", "forged"))));
        return List.of(new PaxosMsg.Prepare(huge, 0), new PaxosMsg.Decide(2, forged),
                new PaxosMsg.Accept(huge, List.of(new PValue(huge, 1_000_000_000L, forged))),
                new PaxosMsg.Heartbeat(huge, 5), new Control.Shutdown(), new Control.CrashAt("after-send-accept", null),
                new Control.SetLive(List.of("n9")), new Control.SetDropRate(1.0, 1), new Control.Query(1, "state", 0),
                new Control.Hello("n2", 1));
    }

    @Test
    void everyForgedPeerIsRefusedAndTheGroupCarriesOn() throws Exception {
        cluster.settle(1, 5_000);
        Map<String, String> before = states();
        String leader = cluster.leader(1);
        Path log = tmp.resolve("logs").resolve(leader).resolve("node.log");

        // A bare Hello as n2, as any process could send before: no handshake, so closed unanswered.
        try (RawPeer p = RawPeer.plain(port(leader), codec, BOUND_MILLIS)) {
            p.send(new Control.Hello("n2", 7102));
            p.send(new PaxosMsg.Prepare(new Ballot(1L << 39, 2), 0));
            assertTrue(p.closedByNode(), "a plain Hello as n2 was not closed");
        }
        // The right cluster id, the wrong secret: the node's proof fails our check, and ours fails the node's.
        ClusterKey wrong = new ClusterKey(key.id(), "cluster", new byte[32]);
        try (RawPeer p = dial(leader, "n2", wrong, Auth.Role.PEER, "1x3")) {
            assertNotNull(p.refusal, "a peer without the key passed");
            assertTrue(p.refusal.contains("failed to prove"), p.refusal);
            p.unsealed(RawPeerBodies.proof());
            assertTrue(p.closedByNode(), "a forged proof was not closed");
        }
        // A node of another cluster: refused with both cluster ids, on this side and in the node's log.
        ClusterKey other = ClusterKey.generate(new SecureRandom());
        try (RawPeer p = dial(leader, "n2", other, Auth.Role.PEER, "1x3")) {
            assertNotNull(p.refusal);
            assertTrue(p.refusal.contains(other.id()) && p.refusal.contains(key.id()), p.refusal);
        }
        assertTrue(waitFor(log, other.id() + "; " + leader + " is of cluster " + key.id()), "the node's log does not"
                + " name both cluster ids");
        // The same cluster, another layout.
        try (RawPeer p = dial(leader, "n2", key, Auth.Role.PEER, "2x3")) {
            assertNotNull(p.refusal);
            assertTrue(p.refusal.contains("2x3") && p.refusal.contains("1x3"), p.refusal);
        }
        // A client may not take a node's name or the master's, nor prove a role its key cannot.
        ClusterKey client = key.forClients();
        for (String name : List.of("n2", "master")) {
            try (RawPeer p = dial(leader, name, client, Auth.Role.CLIENT, "")) {
                assertNotNull(p.refusal, "a client named " + name + " passed");
            }
        }
        try (RawPeer p = dial(leader, "master", key, Auth.Role.MASTER, "1x3")) {
            assertNotNull(p.refusal, "a node accepted the master role on its own port");
        }
        ClusterKey clientAsSecret = new ClusterKey(key.id(), "cluster", client.secret());
        try (RawPeer p = dial(leader, "n2", clientAsSecret, Auth.Role.PEER, "1x3")) {
            assertNotNull(p.refusal, "the client key proved the peer role");
        }
        // An authenticated client sending peer and master messages: each closes its connection.
        for (Message m : peerAndMasterMessages()) {
            try (RawPeer p = dial(leader, "mallory", client, Auth.Role.CLIENT, "")) {
                assertNull(p.refusal, p.refusal);
                p.send(m);
                assertTrue(p.closedByNode(), "a client's " + m.getClass().getSimpleName() + " was not closed");
            }
        }
        assertTrue(waitFor(log, "a client may send client requests only, not Shutdown"), "not closed for its role");
        // Frames replayed, altered, or moved to another connection fail their MACs.
        byte[] put = RawPeer.body(codec.encode(new PaxosMsg.ClientRequest(new Request("alice", 1,
                new Op.Put("k2", "once")))));
        byte[] sealed;
        try (RawPeer p = dial(leader, "alice", client, Auth.Role.CLIENT, "")) {
            sealed = p.sealed(put);
            p.raw(sealed);
            assertInstanceOf(PaxosMsg.ClientReply.class, nextReply(p));
            p.raw(sealed); // the same frame again
            assertTrue(p.closedByNode(), "a replayed frame was not closed");
        }
        try (RawPeer p = dial(leader, "alice", client, Auth.Role.CLIENT, "")) {
            p.raw(sealed); // a frame of the last connection: this one's keys are fresh
            assertTrue(p.closedByNode(), "a frame moved to another connection was not closed");
        }
        try (RawPeer p = dial(leader, "alice", client, Auth.Role.CLIENT, "")) {
            byte[] altered = p.sealed(put);
            altered[10] ^= 1;
            p.raw(altered);
            assertTrue(p.closedByNode(), "an altered frame was not closed");
        }
        assertTrue(waitFor(log, "fails its MAC"), "not closed for its MAC");

        for (String n : cluster.group(1)) {
            assertNotNull(cluster.query(n, "info", 0, BOUND_MILLIS), n + " is gone");
        }
        cluster.settle(1, 5_000);
        Map<String, String> after = states();
        assertEquals(new Result.Value("k", "before"), cluster.submit("after", 1, new Op.Get("k"), 1)
                .get(20, TimeUnit.SECONDS), "the group still answers, and no forged Put was applied");
        assertEquals(new Result.Value("k2", "once"), cluster.submit("after", 2, new Op.Get("k2"), 1)
                .get(20, TimeUnit.SECONDS), "the one genuine request was applied");
        assertFalse(before.equals(after), "the genuine Put changed nothing: " + after);
        for (String n : cluster.group(1)) {
            String plog = Files.readString(tmp.resolve("logs").resolve(n).resolve("paxos.log"));
            assertFalse(plog.contains("forged") || plog.contains("1099511627775"), n + "'s log holds a forged entry");
        }
    }

    /**
     * The harness's last case, with a real node JVM: n3 killed and started again by hand against
     * another cluster's logs. Both sides refuse, and both node logs name both cluster ids; the
     * group goes on without it, and nothing of the other cluster's log reaches this one's.
     */
    @Test
    void aNodeOfAnotherClusterIsRefusedOnBothSides() throws Exception {
        cluster.kill("n3");
        Path foreign = tmp.resolve("foreign");
        ClusterKey other = ClusterKey.generate(new SecureRandom());
        other.save(foreign.resolve("n3").resolve(ClusterKey.FILE));
        List<String> cmd = ProcessCluster.nodeJvm(cfg.nodeHeap(), "synod.runtime.PaxosMain");
        cmd.addAll(List.of("--id", "n3", "--group", "n1,n2,n3", "--layout", "1x3", "--logs", foreign.toString(),
                "--config", tmp.resolve("cluster.json").toString()));
        Process n3 = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("foreign-n3.out").toFile()).start();
        try {
            String both = "n3 is of cluster " + other.id() + "; n1 is of cluster " + key.id();
            assertTrue(waitFor(tmp.resolve("logs").resolve("n1").resolve("node.log"), both), "n1's log lacks: " + both);
            String theirs = "n1 is of cluster " + key.id() + "; n3 is of cluster " + other.id();
            assertTrue(waitFor(foreign.resolve("n3").resolve("node.log"), theirs), "n3's log lacks: " + theirs);
            assertEquals(new Result.Ok(), cluster.submit("after", 1, new Op.Put("k", "after"), 1)
                    .get(20, TimeUnit.SECONDS), "the group goes on without n3");
        } finally {
            n3.destroyForcibly();
            n3.onExit().get(BOUND_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    static PaxosMsg.ClientReply nextReply(RawPeer p) throws IOException {
        while (true) {
            if (p.next() instanceof PaxosMsg.ClientReply r) {
                return r;
            }
        }
    }

    /** Polls the node's log for {@code text}: the refusal is logged as the connection closes. */
    static boolean waitFor(Path log, String text) throws Exception {
        long deadline = System.currentTimeMillis() + BOUND_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return true;
            }
            Thread.sleep(50); // polling a file the node appends to; nothing to wait on
        }
        return false;
    }

    private Map<String, String> states() {
        return NodeJvms.states(cluster, BOUND_MILLIS);
    }

    /** A proof that proves nothing. */
    static final class RawPeerBodies {
        static byte[] proof() {
            return "{\"type\":\"AuthProof\",\"proof\":\"AAAA\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
