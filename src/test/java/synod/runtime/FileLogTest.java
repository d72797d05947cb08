package synod.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durable log on a real file system: round trips, what sync makes durable, recovery from torn
 * tails cut at every byte, refusal of damage anywhere but the end, and crash-safe rewrite. Crashes
 * are simulated by writing the bytes a crash can leave, then opening the file afresh.
 */
class FileLogTest {
    @TempDir
    Path tmp;

    static String rec(int i) {
        return "{\"type\":\"Accepted\",\"slot\":" + i + ",\"ballot\":{\"round\":3,\"leader\":\"n1\"},\"cmd\":\"transfer A B "
                + i + "\"}";
    }

    static List<String> recs(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(rec(i));
        }
        return out;
    }

    /** A line as the log writes it, for any body, even one the log would refuse to append. */
    static byte[] line(byte[] body) {
        byte[] out = new byte[body.length + LogFormat.OVERHEAD];
        LogFormat.writeLine(body, out, 0);
        return out;
    }

    static byte[] lines(List<String> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String r : records) {
            out.writeBytes(line(r.getBytes(StandardCharsets.UTF_8)));
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Opens {@code file}, which must be recoverable, and returns what it recovered; closes it. */
    static FileLogView reopen(Path file) throws IOException {
        try (FileLog log = FileLog.open(file)) {
            return new FileLogView(log.recovered(), log.tornTail());
        }
    }

    record FileLogView(List<String> records, String torn) {}

    @Test
    void roundTripReopenAndContinue() throws IOException {
        Path file = tmp.resolve("logs/n1/paxos.log");
        try (FileLog log = FileLog.open(file)) {
            assertEquals(List.of(), log.recovered());
            assertNull(log.tornTail());
            recs(0, 3).forEach(log::append);
            log.sync();
        }
        try (FileLog log = FileLog.open(file)) {
            assertEquals(recs(0, 3), log.recovered());
            assertNull(log.tornTail());
            recs(3, 5).forEach(log::append);
            log.sync();
        }
        assertEquals(recs(0, 5), reopen(file).records());
        assertArrayEquals(lines(recs(0, 5)), Files.readAllBytes(file));
        assertFalse(Files.exists(FileLog.tempFile(file)));
    }

    @Test
    void onlySyncPutsRecordsOnDiskAndOneSyncIsOneForce() throws IOException {
        Path file = tmp.resolve("paxos.log");
        try (FileLog log = FileLog.open(file)) {
            recs(0, 2).forEach(log::append);
            assertEquals(0, Files.size(file), "append alone must not write");
            log.sync();
            assertEquals(1, log.syncs());
            recs(2, 1000).forEach(log::append);
            assertArrayEquals(lines(recs(0, 2)), Files.readAllBytes(file), "unsynced records are not on disk");
            assertEquals(recs(0, 2), reopen(file).records(), "a fresh open sees only what was synced");

            log.sync();
            assertEquals(2, log.syncs(), "998 appends, one sync: one force");
            assertEquals(1000, log.appendedSinceOpen());
            log.sync();
            assertEquals(2, log.syncs(), "a sync with nothing pending forces nothing");
            assertArrayEquals(lines(recs(0, 1000)), Files.readAllBytes(file));
        }
        assertEquals(recs(0, 1000), reopen(file).records());
    }

    @Test
    void closeSyncsWhatIsPending() throws IOException {
        Path file = tmp.resolve("paxos.log");
        try (FileLog log = FileLog.open(file)) {
            log.append(rec(7));
        }
        assertEquals(List.of(rec(7)), reopen(file).records());
    }

    @Test
    void tornLastLineIsCutAtEveryByteOffset() throws IOException {
        Path file = tmp.resolve("paxos.log");
        byte[] good = lines(recs(0, 3));
        byte[] all = lines(recs(0, 4));
        for (int cut = good.length; cut < all.length; cut++) {
            Files.write(file, Arrays.copyOf(all, cut));
            FileLogView v = reopen(file);
            assertEquals(recs(0, 3), v.records(), "cut at " + cut);
            if (cut == good.length) {
                assertNull(v.torn(), "a file ending on a line boundary is not torn");
            } else {
                assertNotNull(v.torn(), "cut at " + cut);
                assertTrue(v.torn().startsWith("line 4 at byte " + good.length), v.torn());
            }
            assertArrayEquals(good, Files.readAllBytes(file), "cut at " + cut + ": the torn tail is gone");
            assertNull(reopen(file).torn(), "the cut is done once");
        }
        try (FileLog log = FileLog.open(file)) {
            log.append(rec(9));
            log.sync();
        }
        assertArrayEquals(concat(good, lines(List.of(rec(9)))), Files.readAllBytes(file));
    }

    @Test
    void tailOfNulBytesIsCut() throws IOException {
        Path file = tmp.resolve("paxos.log");
        byte[] good = lines(recs(0, 3));
        byte[] last = lines(recs(3, 4));

        Files.write(file, concat(good, new byte[4096]));
        FileLogView v = reopen(file);
        assertEquals(recs(0, 3), v.records());
        assertTrue(v.torn().contains("all NUL"), v.torn());
        assertArrayEquals(good, Files.readAllBytes(file));

        // part of the last line reached the disk, the rest of its page did not
        Files.write(file, concat(good, Arrays.copyOf(last, 20), new byte[4000]));
        assertEquals(recs(0, 3), reopen(file).records());
        assertArrayEquals(good, Files.readAllBytes(file));

        // the last line's bytes are a hole but its newline made it
        byte[] hole = new byte[last.length];
        hole[hole.length - 1] = '\n';
        Files.write(file, concat(good, hole));
        v = reopen(file);
        assertEquals(recs(0, 3), v.records());
        assertTrue(v.torn().contains("no checksum"), v.torn());
        assertArrayEquals(good, Files.readAllBytes(file));
    }

    @Test
    void lastLineWithWrongChecksumIsCut() throws IOException {
        Path file = tmp.resolve("paxos.log");
        byte[] good = lines(recs(0, 3));
        byte[] last = lines(recs(3, 4));
        last[20] ^= 0x01;
        Files.write(file, concat(good, last));
        FileLogView v = reopen(file);
        assertEquals(recs(0, 3), v.records());
        assertTrue(v.torn().contains("checksum mismatch"), v.torn());
        assertArrayEquals(good, Files.readAllBytes(file));
    }

    @Test
    void aFlippedByteBeforeTheLastLineIsDamage() throws IOException {
        Path file = tmp.resolve("paxos.log");
        byte[] clean = lines(recs(0, 5));
        int line2 = lines(recs(0, 1)).length;
        int line4 = lines(recs(0, 3)).length;
        int line5 = lines(recs(0, 4)).length;
        // every byte of line 2, its checksum, space, record and newline (a flipped newline merges
        // lines 2 and 3 into one bad line: how a "missing newline mid-file" shows up); then line 4,
        // whose only follower is the last line
        List<int[]> cases = new ArrayList<>();
        for (int at = line2; at < line2 + rec(1).length() + LogFormat.OVERHEAD; at++) {
            cases.add(new int[] {at, 2, line2});
        }
        for (int at = line4; at < line5; at += 7) {
            cases.add(new int[] {at, 4, line4});
        }
        for (int[] c : cases) {
            byte[] bad = clean.clone();
            bad[c[0]] ^= 0x01;
            Files.write(file, bad);
            LogDamage e = assertThrows(LogDamage.class, () -> FileLog.open(file), "flip at " + c[0]);
            assertEquals(c[1], e.line());
            assertEquals(c[2], e.offset());
            assertTrue(e.getMessage().contains(file + ": line " + c[1] + " at byte " + c[2]), e.getMessage());
            assertArrayEquals(bad, Files.readAllBytes(file), "damage is never cut: the file is left as found");
        }
    }

    @Test
    void aGarbageOrEmptyLineInTheMiddleIsDamage() throws IOException {
        Path file = tmp.resolve("paxos.log");
        byte[] head = lines(recs(0, 2));
        byte[] tail = lines(recs(2, 4));
        for (String junk : List.of("not a log line\n", "\n", "\0\0\0\0\n", "0000000 {}\n")) {
            Files.write(file, concat(head, junk.getBytes(StandardCharsets.UTF_8), tail));
            LogDamage e = assertThrows(LogDamage.class, () -> FileLog.open(file), junk);
            assertEquals(3, e.line());
            assertEquals(head.length, e.offset());
            assertTrue(e.getMessage().contains("refusing to recover"), e.getMessage());
        }
        // only the last line may be torn: a bad line followed by a torn one is two bad lines
        Files.write(file, concat(head, "garbage\n".getBytes(StandardCharsets.UTF_8), Arrays.copyOf(tail, 9)));
        assertEquals(3, assertThrows(LogDamage.class, () -> FileLog.open(file)).line());
    }

    @Test
    void aChecksummedLineThatIsNotAJsonObjectIsDamageEvenAtTheEnd() throws IOException {
        Path file = tmp.resolve("paxos.log");
        byte[] head = lines(recs(0, 2));
        List<byte[]> bodies = List.of(
                "{\"a\":".getBytes(StandardCharsets.UTF_8),
                "[1,2]".getBytes(StandardCharsets.UTF_8),
                "{} {}".getBytes(StandardCharsets.UTF_8),
                new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'});
        for (byte[] body : bodies) {
            for (boolean atEnd : new boolean[] {true, false}) {
                byte[] content = atEnd ? concat(head, line(body)) : concat(head, line(body), lines(recs(2, 3)));
                Files.write(file, content);
                LogDamage e = assertThrows(LogDamage.class, () -> FileLog.open(file));
                assertEquals(3, e.line());
                assertTrue(e.getMessage().contains("the checksum matches"), e.getMessage());
                assertArrayEquals(content, Files.readAllBytes(file));
            }
        }
    }

    @Test
    void nonUtf8Bytes() throws IOException {
        Path file = tmp.resolve("paxos.log");
        byte[] head = lines(recs(0, 2));
        byte[] garbage = {'0', '1', '2', '3', '4', '5', '6', '7', ' ', '{', (byte) 0xc3, (byte) 0x28, (byte) 0xff, '}'};
        Files.write(file, concat(head, garbage, new byte[] {'\n'}));
        assertEquals(recs(0, 2), reopen(file).records(), "a torn last line, whatever its bytes");
        assertArrayEquals(head, Files.readAllBytes(file));

        Files.write(file, concat(head, garbage, new byte[] {'\n'}, lines(recs(2, 3))));
        assertEquals(3, assertThrows(LogDamage.class, () -> FileLog.open(file)).line());

        try (FileLog log = FileLog.open(tmp.resolve("utf8.log"))) {
            log.append("{\"who\":\"Zoë\",\"sym\":\"\u20ac\ud83d\ude00\"}");
        }
        assertEquals(List.of("{\"who\":\"Zoë\",\"sym\":\"\u20ac\ud83d\ude00\"}"),
                reopen(tmp.resolve("utf8.log")).records());
    }

    @Test
    void emptyMissingAndOnlyTornFiles() throws IOException {
        Path empty = tmp.resolve("empty.log");
        Files.write(empty, new byte[0]);
        assertEquals(new FileLogView(List.of(), null), reopen(empty));

        Path missing = tmp.resolve("a/b/c/missing.log");
        assertEquals(new FileLogView(List.of(), null), reopen(missing));
        assertEquals(0, Files.size(missing));

        Path torn = tmp.resolve("torn.log");
        Files.write(torn, Arrays.copyOf(lines(recs(0, 1)), 30));
        FileLogView v = reopen(torn);
        assertEquals(List.of(), v.records());
        assertTrue(v.torn().startsWith("line 1 at byte 0: 30 bytes, no trailing newline"), v.torn());
        assertEquals(0, Files.size(torn));
    }

    @Test
    void appendRefusesWhatIsNotOneLineOfJsonObject() throws IOException {
        Path file = tmp.resolve("paxos.log");
        try (FileLog log = FileLog.open(file)) {
            List<String> refused = Arrays.asList("{\"a\":\"x\ny\"}", "{\"a\":1}\n", "[1]", "\"s\"", "", "{", null,
                    "{\"a\":\"\ud83d\"}", "{\"a\":\"\tb\"}");
            for (String r : refused) {
                assertThrows(IllegalArgumentException.class, () -> log.append(r), String.valueOf(r));
            }
            assertEquals(0, log.appendedSinceOpen());
            log.append(rec(1));
            log.sync();
        }
        assertArrayEquals(lines(List.of(rec(1))), Files.readAllBytes(file));
    }

    @Test
    void veryLongRecords() throws IOException {
        Path file = tmp.resolve("paxos.log");
        String big = "{\"blob\":\"" + "é€x".repeat(350_000) + "\"}";
        assertTrue(big.getBytes(StandardCharsets.UTF_8).length > 1 << 20);
        try (FileLog log = FileLog.open(file)) {
            log.append(rec(0));
            log.append(big);
            log.append(rec(2));
            log.sync();
            assertThrows(IllegalArgumentException.class,
                    () -> log.append("{\"x\":\"" + "x".repeat(LogFormat.RECORD_BYTES_MAX) + "\"}"));
        }
        assertEquals(List.of(rec(0), big, rec(2)), reopen(file).records());

        // deeper than Jackson's default read limit of 1000: what was accepted must be recoverable
        String deep = "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        try (FileLog log = FileLog.open(file)) {
            log.rewrite(List.of(deep));
        }
        assertEquals(List.of(deep), reopen(file).records());

        byte[] all = lines(List.of(rec(0), big));
        int head = lines(List.of(rec(0))).length;
        for (int cut : new int[] {head + 1, head + 9, head + 70_000, all.length - 2, all.length - 1}) {
            Files.write(file, Arrays.copyOf(all, cut));
            assertEquals(List.of(rec(0)), reopen(file).records(), "cut at " + cut);
            assertEquals(head, Files.size(file));
        }
    }

    @Test
    void rewriteReplacesTheLog() throws IOException {
        Path file = tmp.resolve("paxos.log");
        try (FileLog log = FileLog.open(file)) {
            recs(0, 10).forEach(log::append);
            log.sync();
            log.rewrite(recs(7, 10));
            assertArrayEquals(lines(recs(7, 10)), Files.readAllBytes(file));
            assertFalse(Files.exists(FileLog.tempFile(file)));
            log.append(rec(10));
            log.sync();
        }
        assertEquals(recs(7, 11), reopen(file).records());

        try (FileLog log = FileLog.open(file)) {
            log.append(rec(11));
            assertThrows(IllegalStateException.class, () -> log.rewrite(List.of()), "unsynced appends");
            log.sync();
            assertThrows(IllegalArgumentException.class, () -> log.rewrite(List.of(rec(0), "{\"a\":\"\n\"}")));
            assertArrayEquals(lines(recs(7, 12)), Files.readAllBytes(file), "a refused rewrite changes nothing");
            log.rewrite(List.of());
            assertEquals(0, Files.size(file));
            log.append(rec(1));
        }
        assertEquals(List.of(rec(1)), reopen(file).records());
    }

    @Test
    void aCrashDuringRewriteLeavesTheOldLogOrTheNewOneWhole() throws IOException {
        Path file = tmp.resolve("paxos.log");
        Path temp = FileLog.tempFile(file);
        try (FileLog log = FileLog.open(file)) {
            recs(0, 5).forEach(log::append);
            log.sync();

            // crash after the temp file is written and forced, before the rename
            log.writeTemp(recs(3, 5));
            assertTrue(Files.exists(temp));
            assertEquals(recs(0, 5), reopen(file).records());
            assertFalse(Files.exists(temp), "open deletes a leftover temp file");

            // crash while the temp file was being written: any part of it
            log.writeTemp(recs(3, 5));
            Files.write(temp, Arrays.copyOf(Files.readAllBytes(temp), 17));
            assertEquals(recs(0, 5), reopen(file).records());
            assertFalse(Files.exists(temp));

            // crash after the rename: the new log, whole
            log.install(log.writeTemp(recs(3, 5)));
            assertEquals(recs(3, 5), reopen(file).records());
        }
    }

    @Test
    void aFailedSyncMakesTheLogRefuseFurtherUse() throws IOException {
        Path full = Path.of("/dev/full");
        Assumptions.assumeTrue(Files.isWritable(full), "needs Linux /dev/full, where every write fails");
        FileLog log = FileLog.open(full);
        log.append(rec(0));
        IOException e = assertThrows(IOException.class, log::sync);
        assertTrue(e.getMessage().contains("the process must end"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> log.append(rec(1)));
        assertThrows(IllegalStateException.class, log::sync);
        assertThrows(IllegalStateException.class, () -> log.rewrite(List.of()));
        log.close();
        assertThrows(IllegalStateException.class, () -> log.append(rec(1)));
    }
}
