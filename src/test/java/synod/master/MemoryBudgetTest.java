package synod.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import synod.app.Op;
import synod.app.Result;
import synod.paxos.PaxosMsg;
import synod.paxos.Request;
import synod.runtime.Auth;
import synod.runtime.ClusterConfig;
import synod.runtime.ClusterKey;
import synod.runtime.FrameCodec;
import synod.runtime.RawPeer;

/**
 * The harness's memory attack on a real node JVM with the default heap (64 MB): 80 authenticated
 * connections each announce a frame of the largest length and send all of it but its last byte.
 * Held at once that is 80 MiB, more than the heap (64 did it before; the limit was per frame);
 * with the budget the node stops reading from those holding the most. The node must survive, it
 * and its group must still answer, and once the connections go it must take large frames again.
 * {@code -Dbudget.bytes=N} sets the node's budget (a huge one shows the attack's effect).
 */
@Tag("end-to-end")
class MemoryBudgetTest {
    static final int CONNECTIONS = 80;
    static final int BOUND_MILLIS = 10_000;
    /** How long the attack goes on writing after no connection has taken a byte: the node has stopped reading. */
    static final long STUCK_MILLIS = 2_000;

    @TempDir
    Path tmp;
    PaxosCluster cluster;
    String classPath;

    @AfterEach
    void reap() {
        NodeJvms.reap(cluster, classPath, tmp);
    }

    @Test
    void manyConnectionsHoldingLargeFramesDoNotExhaustANodesHeap() throws Exception {
        Path config = MasterProcessEndToEndTest.privateConfig(tmp);
        ClusterConfig base = ClusterConfig.load(config, true);
        assertEquals("64m", base.nodeHeap(), "the attack is sized for the default node heap");
        String budget = System.getProperty("budget.bytes");
        if (budget != null) {
            String json = Files.readString(config).strip();
            Files.writeString(config, json.substring(0, json.length() - 1) + ", \"bufferBytesMax\": " + budget + "}");
        }
        ClusterConfig cfg = ClusterConfig.load(config, true);
        FrameCodec codec = new FrameCodec(cfg.frameBytesMax());
        classPath = System.getProperty("java.class.path");
        System.setProperty("java.class.path", MasterProcessEndToEndTest.childClassPath());
        cluster = new PaxosCluster(cfg, tmp.resolve("logs"), config, 11);
        cluster.start(1, 3);
        String leader = cluster.awaitLeader(1, 20_000);
        assertNotNull(leader, "no leader");
        ClusterKey key = ClusterKey.load(tmp.resolve("logs").resolve(leader).resolve(ClusterKey.FILE)).forClients();
        int port = cfg.port(leader);

        List<RawPeer> attack = new ArrayList<>();
        try {
            int length = cfg.frameBytesMax() + Auth.MAC_BYTES; // the longest frame the node takes
            for (int i = 0; i < CONNECTIONS; i++) {
                RawPeer p = RawPeer.authenticated(port, codec, BOUND_MILLIS, "hog-" + i, leader, key, Auth.Role.CLIENT, "");
                assertNull(p.refusal, p.refusal);
                p.raw(ByteBuffer.allocate(4).putInt(length).array());
                p.channel().configureBlocking(false);
                attack.add(p);
            }
            long sent = fill(attack, length - 1);
            // the node is alive, answers its master, and the group decides
            assertNotNull(cluster.query(leader, "info", 0, BOUND_MILLIS), leader + " is gone after " + sent + " bytes");
            assertEquals(new Result.Ok(), cluster.submit("after", 1, new Op.Put("k", "v"), 1).get(30, TimeUnit.SECONDS));
            // and the attacked node answers a client of its own
            try (RawPeer c = RawPeer.authenticated(port, codec, BOUND_MILLIS, "alice", leader, key, Auth.Role.CLIENT, "")) {
                assertNull(c.refusal, c.refusal);
                c.send(new PaxosMsg.ClientRequest(new Request("alice", 1, new Op.Get("k"))));
                assertInstanceOf(PaxosMsg.ClientReply.class, ForgedPeerTest.nextReply(c));
            }
            System.out.println("memory budget: " + CONNECTIONS + " connections sent " + sent + " of "
                    + (long) CONNECTIONS * (length - 1) + " bytes (what the node did not read waits in its sockets)");
        } finally {
            for (RawPeer p : attack) {
                p.close();
            }
        }
        // the budget is free again: a large request goes through
        String big = "x".repeat(cfg.frameBytesMax() / 2);
        assertEquals(new Result.Ok(), cluster.submit("after", 2, new Op.Put("big", big), 1).get(30, TimeUnit.SECONDS));
        assertNotNull(cluster.query(leader, "info", 0, BOUND_MILLIS), leader + " is gone");
    }

    /**
     * Writes up to {@code each} bytes on every connection, as fast as the node takes them, until each
     * has sent them all or none has taken a byte for {@link #STUCK_MILLIS}. Returns the bytes sent.
     */
    static long fill(List<RawPeer> peers, int each) throws Exception {
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        long[] sent = new long[peers.size()];
        long total = 0;
        long lastProgress = System.currentTimeMillis();
        while (System.currentTimeMillis() - lastProgress < STUCK_MILLIS) {
            boolean all = true;
            for (int i = 0; i < peers.size(); i++) {
                int n = (int) Math.min(chunk.capacity(), each - sent[i]);
                if (n == 0) {
                    continue;
                }
                all = false;
                chunk.clear().limit(n);
                int w = peers.get(i).channel().write(chunk);
                if (w > 0) {
                    sent[i] += w;
                    total += w;
                    lastProgress = System.currentTimeMillis();
                }
            }
            if (all) {
                break;
            }
            Thread.sleep(1); // a write loop over non-blocking sockets; the node is what we wait on
        }
        return total;
    }
}
