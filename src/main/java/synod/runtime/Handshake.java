package synod.runtime;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import synod.core.Envelope;

/**
 * One connection's authentication, without I/O: the mutual challenge-response and then a MAC on
 * every frame. The dialler sends {@link Control.AuthHello} with its nonce; the acceptor answers
 * {@link Control.AuthChallenge} with its nonce and its proof, the dialler {@link Control.AuthProof}
 * with its own. A proof is HMAC-SHA256, under the prover's role key, of the transcript: the
 * cluster id, both roles, both node ids, both layouts and both nonces, and which side proves. A
 * replayed handshake meets a fresh nonce and fails.
 *
 * <p>After it, every frame is the JSON body followed by HMAC-SHA256(k, seq || body): {@code k} is
 * derived from the sender's role key and the transcript (one key per direction and connection),
 * {@code seq} counts that direction's frames from 0 and is not sent. So a frame injected, replayed
 * (here or on another connection), reordered, cut or altered fails its MAC, and the connection is
 * closed.
 */
final class Handshake {
    static final int MAC_BYTES = Auth.MAC_BYTES;
    /** The longest frame before a connection has authenticated: a handshake message is small. */
    static final int FRAME_BYTES_MAX = 2048;
    private static final int NONCE_BYTES = 32;

    /** A handshake this side refuses; {@link #getMessage} names why, both cluster ids where they differ. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final Auth auth;
    private final boolean dialler;
    private final String self;
    private final byte[] myNonce = new byte[NONCE_BYTES];
    /** The other side: its name and role once it has said them. */
    String peer;
    Auth.Role peerRole;
    int peerPort;
    private Mac sealing;
    private Mac opening;
    private long sealed;
    private long opened;
    private boolean done;
    private byte[] transcript;

    private Handshake(Auth auth, boolean dialler, String self, String peer) {
        this.auth = auth;
        this.dialler = dialler;
        this.self = self;
        this.peer = peer;
        Auth.RANDOM.nextBytes(myNonce);
    }

    /** The dialling side of a connection to {@code peer}. */
    static Handshake dial(Auth auth, String self, String peer) {
        return new Handshake(auth, true, self, peer);
    }

    /** The accepting side of a connection not yet named. */
    static Handshake accept(Auth auth, String self) {
        return new Handshake(auth, false, self, null);
    }

    Control.AuthHello hello(int port) {
        return new Control.AuthHello(self, port, auth.role.wire(), auth.cluster(), auth.layout, b64(myNonce));
    }

    /** Acceptor: checks who dials and answers with this side's proof. */
    Control.AuthChallenge onHello(Control.AuthHello h) throws Refused {
        Auth.Role role = Auth.Role.of(h.role());
        if (role == null || !auth.accepts.contains(role)) {
            throw new Refused(h.from() + " dials as " + h.role() + ", which " + self + " does not accept");
        }
        sameCluster(h.from(), h.cluster());
        String name = h.from();
        boolean nodeName = auth.peers.contains(name) || (name.matches("n\\d+"));
        if (role == Auth.Role.MASTER ? !name.equals(Envelope.MASTER)
                : name.equals(Envelope.MASTER) || (role == Auth.Role.CLIENT ? nodeName
                        : !auth.peers.isEmpty() && !auth.peers.contains(name))) {
            throw new Refused("the " + role.wire() + " role may not be named " + name);
        }
        if (role != Auth.Role.CLIENT) {
            sameLayout(name, h.cluster(), h.layout());
        }
        peer = name;
        peerRole = role;
        peerPort = h.port();
        Auth.Role mine = myRole();
        byte[] theirs = nonce(h.nonce());
        byte[] t = transcript(role, mine, name, self, h.layout(), auth.layout, theirs, myNonce);
        keys(t, role, mine);
        return new Control.AuthChallenge(self, mine.wire(), auth.cluster(), auth.layout, b64(myNonce),
                b64(proof(mine, "accept", t)));
    }

    /** Acceptor: checks the dialler's proof; afterwards frames are sealed. */
    void onProof(Control.AuthProof p) throws Refused {
        if (!MessageDigest.isEqual(proof(peerRole, "dial", transcript), unb64(p.proof()))) {
            throw new Refused(peer + " failed to prove the " + peerRole.wire() + " key of cluster " + auth.cluster());
        }
        done = true;
    }

    /** Dialler: checks the acceptor's proof and proves this side. */
    Control.AuthProof onChallenge(Control.AuthChallenge c) throws Refused {
        sameCluster(c.from(), c.cluster());
        if (!c.from().equals(peer)) {
            throw new Refused(self + " dialled " + peer + " but " + c.from() + " answered");
        }
        Auth.Role expect = auth.role == Auth.Role.CLIENT ? Auth.Role.CLIENT
                : peer.equals(Envelope.MASTER) ? Auth.Role.MASTER : Auth.Role.PEER;
        if (!expect.wire().equals(c.role())) {
            throw new Refused(peer + " answers as " + c.role() + ", not as " + expect.wire());
        }
        if (auth.role != Auth.Role.CLIENT) {
            sameLayout(peer, c.cluster(), c.layout());
        }
        peerRole = expect;
        byte[] t = transcript(auth.role, expect, self, peer, auth.layout, c.layout(), myNonce, nonce(c.nonce()));
        if (!MessageDigest.isEqual(proof(expect, "accept", t), unb64(c.proof()))) {
            throw new Refused(peer + " failed to prove the " + expect.wire() + " key of cluster " + auth.cluster());
        }
        keys(t, auth.role, expect);
        done = true;
        return new Control.AuthProof(b64(proof(auth.role, "dial", t)));
    }

    /** Whether both proofs are checked: before, no frame may be sealed or opened. */
    boolean authenticated() {
        return done;
    }

    /** {@code frame} (length, body) with its MAC appended and the length counting it. */
    ByteBuffer seal(ByteBuffer frame) {
        ByteBuffer f = frame.duplicate();
        int n = f.getInt();
        ByteBuffer out = ByteBuffer.allocate(4 + n + MAC_BYTES);
        out.putInt(n + MAC_BYTES);
        sealing.update(seq(sealed++));
        sealing.update(f.duplicate());
        out.put(f);
        out.put(sealing.doFinal());
        return out.flip();
    }

    /** The body of a sealed frame, if its MAC is the next one expected. */
    byte[] open(byte[] sealedBody) throws FrameCodec.FrameException {
        int n = sealedBody.length - MAC_BYTES;
        if (n < 1) {
            throw new FrameCodec.FrameException("a frame of " + sealedBody.length + " bytes has no room for its MAC");
        }
        opening.update(seq(opened++));
        opening.update(sealedBody, 0, n);
        byte[] want = opening.doFinal();
        byte[] got = java.util.Arrays.copyOfRange(sealedBody, n, sealedBody.length);
        if (!MessageDigest.isEqual(want, got)) {
            throw new FrameCodec.FrameException("frame " + (opened - 1) + " from " + peer
                    + " fails its MAC (forged, replayed, reordered or altered)");
        }
        return java.util.Arrays.copyOf(sealedBody, n);
    }

    private Auth.Role myRole() {
        return peerRole == Auth.Role.CLIENT ? Auth.Role.CLIENT : auth.role;
    }

    private void sameCluster(String who, String theirs) throws Refused {
        if (!auth.cluster().equals(theirs)) {
            throw new Refused(who + " is of cluster " + theirs + "; " + self + " is of cluster " + auth.cluster());
        }
    }

    private void sameLayout(String who, String cluster, String theirs) throws Refused {
        if (!auth.layout.equals(theirs)) {
            throw new Refused(who + " of cluster " + cluster + " runs the layout " + theirs + "; " + self
                    + " of cluster " + auth.cluster() + " runs " + auth.layout);
        }
    }

    private byte[] transcript(Auth.Role dRole, Auth.Role aRole, String d, String a, String dLayout, String aLayout,
                              byte[] dNonce, byte[] aNonce) {
        transcript = Auth.bytes(String.join("\n", "synod-auth-1", auth.cluster(), dRole.wire(), aRole.wire(), d, a,
                dLayout, aLayout, b64(dNonce), b64(aNonce)));
        return transcript;
    }

    private byte[] proof(Auth.Role role, String side, byte[] t) {
        Mac m = Auth.mac(role.key(auth.key));
        m.update(Auth.bytes(side + "\n"));
        return m.doFinal(t);
    }

    /** One key per direction, from its sender's role key. */
    private void keys(byte[] t, Auth.Role dRole, Auth.Role aRole) {
        Mac fromDialler = Auth.mac(proof(dRole, "frames from the dialler", t));
        Mac fromAcceptor = Auth.mac(proof(aRole, "frames from the acceptor", t));
        sealing = dialler ? fromDialler : fromAcceptor;
        opening = dialler ? fromAcceptor : fromDialler;
    }

    private static byte[] seq(long n) {
        return ByteBuffer.allocate(8).putLong(n).array();
    }

    private static byte[] nonce(String s) throws Refused {
        byte[] n = unb64(s);
        if (n.length != NONCE_BYTES) {
            throw new Refused("a nonce of " + n.length + " bytes, not " + NONCE_BYTES);
        }
        return n;
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static byte[] unb64(String s) {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }
}
