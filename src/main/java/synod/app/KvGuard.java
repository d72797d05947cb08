package synod.app;

/**
 * How a guard that did not hold is told: {@code K is V2} or {@code K is absent}, as the store
 * holds it, but cut to at most {@link #REASON_CHARS_MAX} characters (ending in "...") with control
 * characters shown as '?': the refusal travels in a NO vote, a decision in the log and the
 * client's reply, and must stay a short line that fits each of them whatever the value.
 */
public final class KvGuard {
    public static final int REASON_CHARS_MAX = 128;

    private KvGuard() {}

    /** "K is V" for a key holding {@code value}, "K is absent" for null. */
    public static String is(String key, String value) {
        return shown(key + " is " + (value == null ? "absent" : value), REASON_CHARS_MAX);
    }

    /** {@code s} with control characters as '?', cut (between code points) to {@code max} characters, "..." included. */
    public static String shown(String s, int max) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            if (b.length() + Character.charCount(cp) > max - 3 && s.length() > max) {
                return b + "...";
            }
            b.appendCodePoint(Character.isISOControl(cp) ? '?' : cp);
            i += Character.charCount(cp);
        }
        return b.toString();
    }
}
