package synod.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A cluster's identity and secret: made when the cluster is made (by the master, for the nodes it
 * spawns), kept in each node's log directory as {@code cluster.key}, and in the config
 * ({@code clusterId}, {@code clusterKey}) for a cluster started by hand. A key of {@code scope}
 * "cluster" holds the secret every role's key derives from ({@link Auth.Role#key}); one of scope
 * "client" ({@code logs/client.key}, what {@code bin/client} reads) holds the client role's key
 * only, so whoever holds it can speak as a client and as nothing else.
 */
public record ClusterKey(String id, String scope, byte[] secret) {
    public static final String FILE = "cluster.key";
    public static final String CLIENT_FILE = "client.key";
    private static final ObjectMapper JSON = new ObjectMapper();

    public ClusterKey {
        if (id == null || !id.matches("[0-9a-zA-Z._-]{1,64}")) {
            throw new IllegalArgumentException("a cluster id is 1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (!"cluster".equals(scope) && !"client".equals(scope)) {
            throw new IllegalArgumentException("a key's scope is cluster or client, not " + scope);
        }
        if (secret == null || secret.length < 16) {
            throw new IllegalArgumentException("a cluster key holds at least 16 bytes");
        }
        secret = secret.clone();
    }

    /** A new cluster: a random id and a random 256-bit secret. */
    public static ClusterKey generate(SecureRandom random) {
        byte[] id = new byte[6];
        byte[] secret = new byte[32];
        random.nextBytes(id);
        random.nextBytes(secret);
        return new ClusterKey("c-" + HexFormat.of().formatHex(id), "cluster", secret);
    }

    /** The cluster's key as the config holds it (its id and the base64 secret), or null if it holds none. */
    public static ClusterKey fromConfig(ClusterConfig cfg) {
        if (cfg.clusterId() == null && cfg.clusterKey() == null) {
            return null;
        }
        if (cfg.clusterId() == null || cfg.clusterKey() == null) {
            throw new IllegalArgumentException("the config gives one of clusterId and clusterKey without the other");
        }
        return new ClusterKey(cfg.clusterId(), "cluster", Base64.getDecoder().decode(cfg.clusterKey()));
    }

    /**
     * The key of the node whose log directory is {@code dir}: its {@code cluster.key}, else the
     * config's (then written there, so the node keeps it), else null. The directory's key wins: a
     * node started against another cluster's logs belongs to that cluster, and is refused as such.
     */
    public static ClusterKey forNode(Path dir, ClusterConfig cfg) throws IOException {
        Path file = dir.resolve(FILE);
        if (Files.exists(file)) {
            return load(file);
        }
        ClusterKey k = fromConfig(cfg);
        if (k != null) {
            k.save(file);
        }
        return k;
    }

    /** As {@link #forNode}, but a node that must authenticate and finds no key cannot start. */
    public static ClusterKey required(Path dir, ClusterConfig cfg) throws IOException {
        ClusterKey k = cfg.authenticate() ? forNode(dir, cfg) : null;
        if (cfg.authenticate() && k == null) {
            throw new IOException("no cluster key: " + dir.resolve(FILE) + " is missing and the config gives no"
                    + " clusterId and clusterKey (a master writes the key when it starts the cluster; for a"
                    + " cluster started by hand, put them in the config)");
        }
        return k;
    }

    /** A master's key: the config's, or a new cluster's; null with authentication off. */
    public static ClusterKey forMaster(ClusterConfig cfg) {
        if (!cfg.authenticate()) {
            return null;
        }
        ClusterKey k = fromConfig(cfg);
        return k != null ? k : generate(Auth.RANDOM);
    }

    /** What a client may hold: this cluster's id and the client role's key. */
    public ClusterKey forClients() {
        return "client".equals(scope) ? this : new ClusterKey(id, "client", Auth.Role.CLIENT.key(this));
    }

    /** Writes the key readable by its owner alone, atomically (a reader never sees half a key). */
    public void save(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        String text = JSON.createObjectNode().put("cluster", id).put("scope", scope)
                .put("key", Base64.getEncoder().encodeToString(secret)).toString() + "\n";
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own protection is all there is
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static ClusterKey load(Path file) throws IOException {
        try {
            JsonNode n = JSON.readTree(file.toFile());
            return new ClusterKey(n.path("cluster").asText(null), n.path("scope").asText(null),
                    Base64.getDecoder().decode(n.path("key").asText("")));
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(file + ": not a cluster key: " + e.getMessage(), e);
        }
    }

    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public String toString() {
        return "cluster " + id + " (" + scope + " key)"; // never the secret: this lands in logs
    }
}
