package synod.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The handshake and the frame MACs alone, without sockets. */
class HandshakeTest {
    final ClusterKey key = ClusterKey.generate(new SecureRandom());
    final Auth node1 = Auth.paxosNode(key, Layout.of(1, 3));

    static ByteBuffer frame(String text) {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + b.length).putInt(b.length).put(b).flip();
    }

    static byte[] body(ByteBuffer sealed) {
        ByteBuffer s = sealed.duplicate();
        byte[] b = new byte[s.getInt()];
        s.get(b);
        return b;
    }

    /** Dialler and acceptor after a handshake that succeeded. */
    Handshake[] pair(Auth dialler, String as, Auth acceptor, String to) throws Exception {
        Handshake d = Handshake.dial(dialler, as, to);
        Handshake a = Handshake.accept(acceptor, to);
        a.onProof(d.onChallenge(a.onHello(d.hello(1))));
        assertTrue(d.authenticated() && a.authenticated());
        return new Handshake[] {d, a};
    }

    @Test
    void framesGoBothWaysAndAReplayedReorderedOrAlteredOneFails() throws Exception {
        Handshake[] p = pair(node1, "n2", node1, "n1");
        byte[] one = body(p[0].seal(frame("{\"one\":1}")));
        byte[] two = body(p[0].seal(frame("{\"two\":2}")));
        assertEquals("{\"one\":1}", new String(p[1].open(one), java.nio.charset.StandardCharsets.UTF_8));
        assertThrows(FrameCodec.FrameException.class, () -> p[1].open(one), "a replay");
        Handshake[] q = pair(node1, "n2", node1, "n1");
        body(q[0].seal(frame("{\"a\":1}"))); // sealed, never delivered
        byte[] second = body(q[0].seal(frame("{\"b\":2}")));
        assertThrows(FrameCodec.FrameException.class, () -> q[1].open(second), "out of order");
        Handshake[] r = pair(node1, "n2", node1, "n1");
        byte[] altered = body(r[0].seal(frame("{\"a\":1}")));
        altered[2] ^= 1;
        assertThrows(FrameCodec.FrameException.class, () -> r[1].open(altered), "altered");
        assertThrows(FrameCodec.FrameException.class, () -> pair(node1, "n2", node1, "n1")[1].open(two),
                "a frame of another connection");
        byte[] back = body(p[1].seal(frame("{\"back\":1}")));
        assertEquals("{\"back\":1}", new String(p[0].open(back), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void theWrongSecretAnotherClusterOrLayoutOrABorrowedNameIsRefused() throws Exception {
        Auth wrongSecret = Auth.paxosNode(new ClusterKey(key.id(), "cluster", new byte[32]), Layout.of(1, 3));
        Handshake d = Handshake.dial(wrongSecret, "n2", "n1");
        Control.AuthChallenge c = Handshake.accept(node1, "n1").onHello(d.hello(1));
        assertThrows(Handshake.Refused.class, () -> d.onChallenge(c));

        ClusterKey other = ClusterKey.generate(new SecureRandom());
        Handshake.Refused e = assertThrows(Handshake.Refused.class, () -> Handshake.accept(node1, "n1")
                .onHello(Handshake.dial(Auth.paxosNode(other, Layout.of(1, 3)), "n2", "n1").hello(1)));
        assertTrue(e.getMessage().contains(other.id()) && e.getMessage().contains(key.id()), e.getMessage());

        e = assertThrows(Handshake.Refused.class, () -> Handshake.accept(node1, "n1")
                .onHello(Handshake.dial(Auth.paxosNode(key, Layout.of(2, 3)), "n2", "n1").hello(1)));
        assertTrue(e.getMessage().contains("2x3") && e.getMessage().contains("1x3"), e.getMessage());

        for (String name : new String[] {"n2", "n7", "master"}) {
            assertThrows(Handshake.Refused.class, () -> Handshake.accept(node1, "n1")
                    .onHello(Handshake.dial(Auth.client(key), name, "n1").hello(-1)), name);
        }
        Auth asMaster = Auth.of(key, Auth.Role.MASTER, "1x3", Set.of(), Set.of());
        assertThrows(Handshake.Refused.class, () -> Handshake.accept(node1, "n1")
                .onHello(Handshake.dial(asMaster, "master", "n1").hello(-1)), "a node takes no master role");
        assertThrows(IllegalStateException.class, () -> Auth.Role.PEER.key(key.forClients()),
                "a client key derives no peer key");
    }

    @Test
    void aClientAuthenticatesWithTheClientKeyAlone() throws Exception {
        Handshake[] p = pair(Auth.client(key), "alice", node1, "n1");
        assertEquals(Auth.Role.CLIENT, p[1].peerRole);
        assertEquals("alice", p[1].peer);
    }
}
