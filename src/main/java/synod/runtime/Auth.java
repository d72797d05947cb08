package synod.runtime;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How one process authenticates its connections: the cluster's key, the role it speaks in, the
 * group layout it runs, the names only peers may take and the roles it accepts connections from.
 * All of synod's cryptography is here and in {@link Handshake}: HMAC-SHA256 from the JDK.
 *
 * <p>Each role's key is derived from the cluster secret ({@link Role#key}); a client holds only
 * its own role's key ({@link ClusterKey#forClients}), so it can never prove a peer's or the
 * master's role. Peers and the master hold the secret itself: HMAC keys verify only what they
 * could also sign, so the line between a peer and the master is the name each role may take (only
 * the master role is named {@code master}, and nodes accept no master role on their own port),
 * not a key.
 */
public final class Auth {
    /** The roles a connection's dialler may speak in. */
    public enum Role {
        PEER, MASTER, CLIENT;

        /** This role's key: derived from the cluster secret, or the client key a client-scoped key is. */
        byte[] key(ClusterKey k) {
            if ("client".equals(k.scope())) {
                if (this != CLIENT) {
                    throw new IllegalStateException("a client key cannot speak as " + wire());
                }
                return k.secret();
            }
            return hmac(k.secret(), bytes("synod role " + wire()));
        }

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The role named {@code s}, or null. */
        static Role of(String s) {
            for (Role r : values()) {
                if (r.wire().equals(s)) {
                    return r;
                }
            }
            return null;
        }
    }

    /** The bytes of the MAC that ends every frame of an authenticated connection (its length counts them). */
    public static final int MAC_BYTES = 32;
    /** No authentication: plain Hello, frames without MACs (a benchmark's baseline, unit tests). */
    public static final Auth OFF = new Auth(null, null, "", Set.of(), Set.of());
    static final SecureRandom RANDOM = new SecureRandom();

    final ClusterKey key;
    final Role role;
    final String layout;
    final Set<String> peers;
    final Set<Role> accepts;

    private Auth(ClusterKey key, Role role, String layout, Set<String> peers, Set<Role> accepts) {
        this.key = key;
        this.role = role;
        this.layout = layout;
        this.peers = Set.copyOf(peers);
        this.accepts = Set.copyOf(accepts);
    }

    /**
     * Speaking as {@code role} with {@code key}, in a cluster laid out as {@code layout} (peers of
     * another layout are refused; clients are not asked); {@code peers}: the names a client may not
     * take; {@code accepts}: the roles that may dial this process.
     */
    public static Auth of(ClusterKey key, Role role, String layout, Set<String> peers, Set<Role> accepts) {
        return new Auth(key, role, layout, peers, accepts);
    }

    /** A client of the cluster {@code key} names: it dials, and accepts no one. */
    public static Auth client(ClusterKey key) {
        return new Auth(key.forClients(), Role.CLIENT, "", Set.of(), Set.of());
    }

    /** A Multi-Paxos node of {@code layout}: peers of the same layout and clients may dial it. */
    public static Auth paxosNode(ClusterKey key, Layout layout) {
        return key == null ? OFF : new Auth(key, Role.PEER, layout.toString(), Set.copyOf(layout.nodes()),
                Set.of(Role.PEER, Role.CLIENT));
    }

    /** The master of {@code layout} ("bank" for the CS380D bank): only nodes dial it. */
    public static Auth master(ClusterKey key, String layout, Set<String> nodes) {
        return key == null ? OFF : new Auth(key, Role.MASTER, layout, nodes, Set.of(Role.PEER));
    }

    /** A CS380D bank node: only its peers dial it. */
    public static Auth bankNode(ClusterKey key) {
        return key == null ? OFF : new Auth(key, Role.PEER, "bank", Set.of(), Set.of(Role.PEER));
    }

    public boolean on() {
        return key != null;
    }

    /** The cluster's id, or "none" with authentication off. */
    public String cluster() {
        return key == null ? "none" : key.id();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Mac mac(byte[] key) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e); // every Java SE has it
        }
    }

    static byte[] hmac(byte[] key, byte[] data) {
        return mac(key).doFinal(data);
    }
}
