package synod.app;

import java.nio.charset.StandardCharsets;

/**
 * Where a key of the key-value store lives on a cluster of G groups: group
 * {@code 1 + FNV-1a-32(UTF-8 bytes of the key) mod G} (the hash read as an unsigned number). The
 * hash is fixed by its definition, not by the JVM ({@link String#hashCode} is fixed too, but
 * FNV-1a spreads short keys such as "a", "b", "c" better), so every node, client and master,
 * on every machine and every run, puts a key in the same group.
 */
public final class KvShard {
    private static final int FNV_OFFSET = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;

    private KvShard() {}

    /** FNV-1a, 32 bits, over the key's UTF-8 bytes, as an unsigned number. */
    public static long hash(String key) {
        int h = FNV_OFFSET;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        return Integer.toUnsignedLong(h);
    }

    /** The group (1-based) that holds {@code key} on a cluster of {@code groups} groups. */
    public static int groupOf(String key, int groups) {
        if (groups < 1) {
            throw new IllegalArgumentException("groups " + groups);
        }
        return (int) (hash(key) % groups) + 1;
    }
}
