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

    /** Records as the rewrite writes them: UTF-8 bytes. */
    static List<byte[]> bodies(List<String> records) {
        return records.stream().map(r -> r.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toList();
    }

    static List<String> recs(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(rec(i));
        }
        return out;
    }

    /** A line as the log writes it as record {@code number}, for any body, even one the log would refuse to append. */
    static byte[] line(long number, byte[] body) {
        byte[] out = new byte[LogFormat.lineBytes(body.length, number)];
        assertEquals(out.length, LogFormat.writeLine(body, number, out, 0));
        return out;
    }

    /** The lines of a log that holds {@code records} from its first line. */
    static byte[] lines(List<String> records) {
        return lines(1, records);
    }

    /** The lines of {@code records} as records {@code first}, {@code first + 1}, ... of a log. */
    static byte[] lines(long first, List<String> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String r : records) {
            out.writeBytes(line(first++, r.getBytes(StandardCharsets.UTF_8)));
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
        assertArrayEquals(concat(good, lines(4, List.of(rec(9)))), Files.readAllBytes(file));
    }

    @Test
    void tailOfNulBytesIsCut() throws IOException {
        Path file = tmp.resolve("paxos.log");
        byte[] good = lines(recs(0, 3));
        byte[] last = lines(4, recs(3, 4));

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
        byte[] last = lines(4, recs(3, 4));
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
        for (int at = line2; at < line2 + LogFormat.lineBytes(rec(1).length(), 2); at++) {
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
        byte[] tail = lines(4, recs(2, 4));
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

    /** The log's lines, each with its newline. */
    static List<byte[]> split(byte[] all) {
        List<byte[]> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                out.add(Arrays.copyOfRange(all, from, i + 1));
                from = i + 1;
            }
        }
        return out;
    }

    @Test
    void aWholeLineMissingRepeatedOrOutOfOrderIsDamageWhereverItIs() throws IOException {
        Path file = tmp.resolve("paxos.log");
        List<byte[]> clean = split(lines(recs(0, 5)));
        // line L of the damaged file, what it says, and the file: each line intact, checksum and all
        record Case(String what, int line, String says, List<byte[]> lines) {}
        List<Case> cases = new ArrayList<>();
        for (int gone = 0; gone < 4; gone++) { // deleting the last line is a crash before its write: not damage
            List<byte[]> l = new ArrayList<>(clean);
            l.remove(gone);
            cases.add(new Case("line " + (gone + 1) + " deleted", gone + 1, "this is record " + (gone + 2) + ", not "
                    + (gone + 1) + ": a record before it is missing", l));
        }
        List<byte[]> swapped = new ArrayList<>(clean);
        swapped.set(1, clean.get(2));
        swapped.set(2, clean.get(1));
        cases.add(new Case("lines 2 and 3 swapped", 2, "this is record 3, not 2", swapped));
        List<byte[]> repeated = new ArrayList<>(clean);
        repeated.add(clean.get(4));
        cases.add(new Case("the last line twice", 6, "this is record 5, not 6: a record is repeated or out of order",
                repeated));
        List<byte[]> unnumbered = new ArrayList<>(clean.subList(0, 2));
        String old = "{\"rec\":\"promised\"}";
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(old.getBytes(StandardCharsets.UTF_8));
        unnumbered.add(String.format("%08x %s\n", crc.getValue(), old).getBytes(StandardCharsets.UTF_8));
        cases.add(new Case("a line of the format before numbers, at the end", 3, "no record number", unnumbered));
        for (Case c : cases) {
            byte[] content = concat(c.lines().toArray(new byte[0][]));
            Files.write(file, content);
            LogDamage e = assertThrows(LogDamage.class, () -> FileLog.open(file), c.what());
            assertEquals(c.line(), e.line(), c.what());
            long offset = 0;
            for (int i = 0; i < c.line() - 1; i++) {
                offset += c.lines().get(i).length;
            }
            assertEquals(offset, e.offset(), c.what());
            assertTrue(e.getMessage().startsWith(file + ": line " + c.line() + " at byte " + offset + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(c.says()) && e.getMessage().contains("refusing to recover"),
                    c.what() + ": " + e.getMessage());
            assertArrayEquals(content, Files.readAllBytes(file), "damage is never cut: the file is left as found");
        }
    }

    @Test
    void recordNumbersGoOnAcrossReopensAndStartAgainAtARewrite() throws IOException {
        Path file = tmp.resolve("paxos.log");
        try (FileLog log = FileLog.open(file)) {
            recs(0, 3).forEach(log::append);
        }
        try (FileLog log = FileLog.open(file)) {
            log.append(rec(3));
        }
        assertArrayEquals(lines(recs(0, 4)), Files.readAllBytes(file));
        assertTrue(Files.readString(file).startsWith(Files.readString(file).substring(0, 9) + "1 {"));
        try (FileLog log = FileLog.open(file)) {
            log.rewrite(recs(2, 4));
            log.append(rec(4));
        }
        assertArrayEquals(lines(recs(2, 5)), Files.readAllBytes(file));
        assertEquals(recs(2, 5), reopen(file).records());
    }

    @Test
    void damageSeenByTheCallerNamesTheFileLineAndByte() throws IOException {
        Path file = tmp.resolve("paxos.log");
        try (FileLog log = FileLog.open(file)) {
            recs(0, 3).forEach(log::append);
        }
        try (FileLog log = FileLog.open(file)) {
            LogDamage e = log.damage(2, "unknown record type 'bogus'");
            int offset = lines(recs(0, 2)).length;
            assertEquals(file + ": line 3 at byte " + offset + ": unknown record type 'bogus'; refusing to recover",
                    e.getMessage());
            assertEquals(3, e.line());
            assertEquals(offset, e.offset());
        }
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
                byte[] content = atEnd ? concat(head, line(3, body)) : concat(head, line(3, body), lines(4, recs(2, 3)));
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

        Files.write(file, concat(head, garbage, new byte[] {'\n'}, lines(4, recs(2, 3))));
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
    void appendOfEncodedBytesRefusesWhatTheStringFormRefusesAndMalformedUtf8() throws IOException {
        Path file = tmp.resolve("paxos.log");
        List<byte[]> refused = new java.util.ArrayList<>();
        for (String r : List.of("{\"a\":\"x\ny\"}", "{\"a\":1}\n", "[1]", "\"s\"", "", "{", "{\"a\":\"\tb\"}")) {
            refused.add(r.getBytes(StandardCharsets.UTF_8));
        }
        refused.add(null);
        refused.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xed, (byte) 0xa0, (byte) 0xbd, '"', '}'}); // a surrogate
        refused.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xc0, (byte) 0xaf, '"', '}'}); // overlong '/'
        refused.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xe2, (byte) 0x82, '"', '}'}); // cut short
        try (FileLog log = FileLog.open(file)) {
            for (byte[] r : refused) {
                assertThrows(IllegalArgumentException.class, () -> log.append(r),
                        r == null ? "null" : new String(r, StandardCharsets.ISO_8859_1));
            }
            assertThrows(IllegalArgumentException.class, () -> log.rewriteBytes(List.of(rec(0).getBytes(
                    StandardCharsets.UTF_8), "{\"a\":\"\n\"}".getBytes(StandardCharsets.UTF_8))));
            assertEquals(0, log.appendedSinceOpen());
            log.append("{\"a\":\"é€😀\"}".getBytes(StandardCharsets.UTF_8));
            log.append(rec(1));
            log.sync();
        }
        assertEquals(List.of("{\"a\":\"é€😀\"}", rec(1)), reopen(file).records(), "bytes and strings make the same lines");
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
            log.writeTemp(bodies(recs(3, 5)));
            assertTrue(Files.exists(temp));
            assertEquals(recs(0, 5), reopen(file).records());
            assertFalse(Files.exists(temp), "open deletes a leftover temp file");

            // crash while the temp file was being written: any part of it
            log.writeTemp(bodies(recs(3, 5)));
            Files.write(temp, Arrays.copyOf(Files.readAllBytes(temp), 17));
            assertEquals(recs(0, 5), reopen(file).records());
            assertFalse(Files.exists(temp));

            // crash after the rename: the new log, whole
            log.install(log.writeTemp(bodies(recs(3, 5))), 2);
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
