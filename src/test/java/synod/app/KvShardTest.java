package synod.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The key-value store's placement is FNV-1a as published, so any implementation can compute it. */
class KvShardTest {
    @Test
    void theHashIsFnv1aOfTheUtf8Bytes() {
        // the published FNV-1a 32-bit test vectors
        assertEquals(0x811c9dc5L, KvShard.hash(""));
        assertEquals(0xe40c292cL, KvShard.hash("a"));
        assertEquals(0xbf9cf968L, KvShard.hash("foobar"));
        assertEquals(KvShard.hash(new String(new byte[] {(byte) 0xc3, (byte) 0xa9}, java.nio.charset.StandardCharsets.UTF_8)),
                KvShard.hash("\u00e9"), "UTF-8 bytes, not UTF-16 chars");
    }

    @Test
    void aKeysGroupIsOnePlusTheHashModuloTheGroups() {
        assertEquals(List.of(2, 2, 3, 1), List.of("a", "b", "c", "g").stream().map(k -> KvShard.groupOf(k, 3)).toList());
        assertEquals(1, KvShard.groupOf("anything", 1));
        for (String k : List.of("x", "y", "z", "color", "k1")) {
            int g = KvShard.groupOf(k, 5);
            assertEquals((int) (KvShard.hash(k) % 5) + 1, g);
        }
    }

    @Test
    void aGuardsRefusalIsAShortLineWhateverTheValue() {
        assertEquals("k is v2", KvGuard.is("k", "v2"));
        assertEquals("k is absent", KvGuard.is("k", null));
        assertEquals("k is a?b", KvGuard.is("k", "a\nb"));
        String cut = KvGuard.is("k", "x".repeat(1000));
        assertEquals(KvGuard.REASON_CHARS_MAX, cut.length());
        assertEquals("k is xxx", cut.substring(0, 8));
        assertEquals("...", cut.substring(cut.length() - 3));
        String pairs = KvGuard.is("k", "\ud83d\ude00".repeat(200)); // never cut between the halves of a pair
        assertEquals(-1, loneSurrogate(pairs));
    }

    private static int loneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
