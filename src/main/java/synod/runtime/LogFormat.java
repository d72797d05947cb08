package synod.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * One line of a {@link FileLog}: {@code CHECKSUM NUMBER JSON\n}. NUMBER is the record's place in
 * the file, counted from 1 (decimal, no leading zero); CHECKSUM is the CRC32C of the UTF-8 bytes of
 * {@code NUMBER JSON} as 8 lowercase hex digits. The JSON is one object with no raw control
 * character (so no newline), at most {@link #RECORD_BYTES_MAX} bytes: exactly what Jackson's
 * compact output of a record looks like.
 *
 * <p>Why the number: a checksum per line cannot see a whole line that is missing (a lost vote) or
 * lines out of order; the number can, and a crash cannot produce a line whose checksum holds but
 * whose number is wrong, so a reader treats that as damage wherever it is, the last line included.
 *
 * <p>Writing checks that cheaply (first and last character, a scan for control characters and
 * unpaired surrogates); reading parses the JSON fully. A line that passes its checksum but not the
 * parse was written that way by this process, not torn by a crash, so a reader treats it as damage.
 */
final class LogFormat {
    /** Larger than any frame a node accepts, small enough that recovery can hold one line. */
    static final int RECORD_BYTES_MAX = 16 << 20;
    /** Checksum, space, number (at most 19 digits), space and newline: the most bytes a line adds to its record. */
    static final int OVERHEAD_MAX = 8 + 1 + 19 + 1 + 1;
    private static final int CHECKSUM_CHARS = 8;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** Jackson's default read limits (nesting, string and number length) would refuse records its writer made. */
    private static final JsonFactory JSON = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(RECORD_BYTES_MAX).maxStringLength(RECORD_BYTES_MAX).maxNumberLength(RECORD_BYTES_MAX)
            .build()).build();

    private LogFormat() {}

    /** Refuses, with IllegalArgumentException, a string this log must not hold. */
    static void check(String json) {
        if (json == null || json.length() < 2 || json.charAt(0) != '{' || json.charAt(json.length() - 1) != '}') {
            throw new IllegalArgumentException("a log record must be a JSON object: " + abbreviate(json));
        }
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '\n') {
                throw new IllegalArgumentException("a log record must not contain a newline (at char " + i + ")");
            }
            if (c < 0x20) {
                throw new IllegalArgumentException("a log record must not contain a raw control character (at char "
                        + i + ")");
            }
            if (Character.isHighSurrogate(c) && i + 1 < json.length() && Character.isLowSurrogate(json.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                // String.getBytes would write '?' for it: the record read back would not be the one written
                throw new IllegalArgumentException("a log record must be valid UTF-16 (unpaired surrogate at char "
                        + i + ")");
            }
        }
    }

    /**
     * Refuses, with IllegalArgumentException, UTF-8 bytes this log must not hold: the same rules as
     * {@link #check} on the bytes a writer encoded (Jackson's output, appended without a round trip
     * through a String): a JSON object, no raw control byte, well-formed UTF-8 (the reader's strict
     * decoder refuses encoded surrogates and overlong forms, so this does too), at most
     * {@link #RECORD_BYTES_MAX} bytes.
     */
    static void checkBody(byte[] body) {
        if (body == null || body.length < 2 || body[0] != '{' || body[body.length - 1] != '}') {
            throw new IllegalArgumentException("a log record must be a JSON object: "
                    + (body == null ? "null" : abbreviate(new String(body, StandardCharsets.UTF_8))));
        }
        if (body.length > RECORD_BYTES_MAX) {
            throw new IllegalArgumentException("a log record must be at most " + RECORD_BYTES_MAX + " bytes, not "
                    + body.length);
        }
        boolean ascii = true;
        for (int i = 0; i < body.length; i++) {
            byte b = body[i];
            if (b >= 0 && b < 0x20) {
                throw new IllegalArgumentException(b == '\n' ? "a log record must not contain a newline (at byte " + i + ")"
                        : "a log record must not contain a raw control character (at byte " + i + ")");
            }
            ascii &= b >= 0;
        }
        if (!ascii) {
            try {
                StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)); // reports, never replaces
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("a log record must be well-formed UTF-8");
            }
        }
    }

    /** The record's UTF-8 bytes, after {@link #check}. */
    static byte[] body(String json) {
        check(json);
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        if (body.length > RECORD_BYTES_MAX) {
            throw new IllegalArgumentException("a log record must be at most " + RECORD_BYTES_MAX + " bytes, not "
                    + body.length);
        }
        return body;
    }

    /** The bytes of the line that holds {@code body} as record {@code number}. */
    static int lineBytes(int bodyBytes, long number) {
        return CHECKSUM_CHARS + 1 + Long.toString(number).length() + 1 + bodyBytes + 1;
    }

    /** Writes the whole line for {@code body} as record {@code number} (from 1) at {@code off}; returns the offset after it. */
    static int writeLine(byte[] body, long number, byte[] dst, int off) {
        byte[] digits = Long.toString(number).getBytes(StandardCharsets.US_ASCII);
        int numberAt = off + CHECKSUM_CHARS + 1;
        System.arraycopy(digits, 0, dst, numberAt, digits.length);
        dst[numberAt + digits.length] = ' ';
        System.arraycopy(body, 0, dst, numberAt + digits.length + 1, body.length);
        int end = numberAt + digits.length + 1 + body.length;
        CRC32C crc = new CRC32C();
        crc.update(dst, numberAt, end - numberAt);
        long sum = crc.getValue();
        for (int i = CHECKSUM_CHARS - 1; i >= 0; i--) {
            dst[off + i] = HEX[(int) (sum & 0xf)];
            sum >>>= 4;
        }
        dst[off + CHECKSUM_CHARS] = ' ';
        dst[end] = '\n';
        return end + 1;
    }

    /** A line's record: its number and its JSON. */
    record Numbered(long number, String json) {}

    /**
     * Why {@code line[0, length)} (without its newline) is not a line a writer finished, or null if
     * its checksum holds. Every problem found here is one a crash mid-write can cause.
     */
    static String frameProblem(byte[] line, int length) {
        if (length < CHECKSUM_CHARS + 1 + 2) {
            return "too short for a checksum and a record (" + length + " bytes)";
        }
        long stored = 0;
        for (int i = 0; i < CHECKSUM_CHARS; i++) {
            int digit = hexDigit(line[i]);
            if (digit < 0) {
                return "no checksum: expected 8 lowercase hex digits";
            }
            stored = stored << 4 | digit;
        }
        if (line[CHECKSUM_CHARS] != ' ') {
            return "no space after the checksum";
        }
        CRC32C crc = new CRC32C();
        crc.update(line, CHECKSUM_CHARS + 1, length - CHECKSUM_CHARS - 1);
        if (crc.getValue() != stored) {
            return String.format("checksum mismatch (stored %08x, computed %08x)", stored, crc.getValue());
        }
        return null;
    }

    /**
     * The record in a line whose checksum holds; throws IOException, with the reason as its message,
     * if it has no number, or is not UTF-8, or not one JSON object.
     */
    static Numbered record(byte[] line, int length, CharsetDecoder utf8) throws IOException {
        int from = CHECKSUM_CHARS + 1;
        long number = 0;
        int digits = 0;
        for (; from < length && line[from] >= '0' && line[from] <= '9'; from++, digits++) {
            number = number * 10 + (line[from] - '0');
            if (digits >= 18 || (digits == 0 && line[from] == '0')) {
                throw new IOException("the checksum matches but the record number is not a number from 1 to 10^18");
            }
        }
        if (digits == 0 || from >= length || line[from] != ' ') {
            throw new IOException("the checksum matches but the line has no record number (a line of a log written "
                    + "before records were numbered, or not written by synod)");
        }
        from++;
        String json;
        try {
            json = utf8.decode(ByteBuffer.wrap(line, from, length - from)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("the checksum matches but the record is not UTF-8");
        }
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the checksum matches but the record is not a JSON object");
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                throw new IOException("the checksum matches but there is more after the JSON object");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("the checksum matches but the record is not well-formed JSON: "
                    + e.getOriginalMessage());
        }
        return new Numbered(number, json);
    }

    private static int hexDigit(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        return -1;
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 60 ? '"' + s + '"' : '"' + s.substring(0, 60) + "\"... (" + s.length() + " chars)";
    }
}
