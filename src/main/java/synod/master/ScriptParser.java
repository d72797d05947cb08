package synod.master;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Parses the command language: one command a line, names in any case, extra spaces and
 * {@code #} comments allowed. A bad line is a {@link ScriptError} naming the line, never an
 * exception that stops the run.
 */
public final class ScriptParser {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private ScriptParser() {}

    /** A line that is not a command; the message says why, for stderr. */
    public static final class ScriptError extends Exception {
        public ScriptError(int line, String message) {
            super("line " + line + ": " + message);
        }
    }

    /** Returns the command on {@code text}, or null for a blank or comment line. */
    public static Command parse(int line, String text) throws ScriptError {
        String body = stripComment(text).strip();
        if (body.isEmpty()) {
            return null;
        }
        String[] w = body.split("\\s+");
        String name = w[0].toLowerCase(Locale.ROOT);
        String[] args = Arrays.copyOfRange(w, 1, w.length);
        switch (name) {
            case "startmaster":
                arity(line, w[0], args, 0, 0);
                return new Command.StartMaster(line);
            case "createnode":
                arity(line, w[0], args, 2, 2);
                return new Command.CreateNode(line, node(line, args[0]), amount(line, args[1]));
            case "send":
                arity(line, w[0], args, 3, 3);
                return new Command.Send(line, node(line, args[0]), node(line, args[1]), amount(line, args[2]));
            case "receive":
                arity(line, w[0], args, 1, 2);
                return new Command.Receive(line, node(line, args[0]), args.length == 2 ? node(line, args[1]) : null);
            case "receiveall":
                arity(line, w[0], args, 0, 0);
                return new Command.ReceiveAll(line);
            case "beginsnapshot":
                arity(line, w[0], args, 1, 1);
                return new Command.BeginSnapshot(line, node(line, args[0]));
            case "collectstate":
                arity(line, w[0], args, 0, 0);
                return new Command.CollectState(line);
            case "printsnapshot":
                arity(line, w[0], args, 0, 0);
                return new Command.PrintSnapshot(line);
            case "killall":
                arity(line, w[0], args, 0, 0);
                return new Command.KillAll(line);
            default:
                return PaxosCommands.parse(line, name, w[0], args, body);
        }
    }

    /** Shared by the Paxos command parser. */
    static void checkArity(int line, String name, String[] args, int min, int max) throws ScriptError {
        arity(line, name, args, min, max);
    }

    static String checkId(int line, String s) throws ScriptError {
        return id(line, s);
    }

    static ScriptError unknown(int line, String name, String body) {
        return new ScriptError(line, "unknown command '" + name + "' in: " + body);
    }

    private static String stripComment(String text) {
        int hash = text.indexOf('#');
        return hash < 0 ? text : text.substring(0, hash);
    }

    private static void arity(int line, String name, String[] args, int min, int max) throws ScriptError {
        if (args.length < min || args.length > max) {
            String want = min == max ? String.valueOf(min) : min + " or " + max;
            throw new ScriptError(line, name + " takes " + want + " argument(s), got " + args.length);
        }
    }

    /** A CS380D node id: a whole number from 1 to 9999 (it names the node's directory, logs/ID). */
    private static String node(int line, String s) throws ScriptError {
        if (!s.matches("0*[1-9][0-9]{0,3}")) {
            throw new ScriptError(line, "bad node id '" + s + "': a node id is a whole number from 1 to 9999");
        }
        return String.valueOf(Integer.parseInt(s));
    }

    private static String id(int line, String s) throws ScriptError {
        if (!ID.matcher(s).matches()) {
            throw new ScriptError(line, "bad node id '" + s + "'");
        }
        return s;
    }

    private static long amount(int line, String s) throws ScriptError {
        try {
            long v = Long.parseLong(s);
            if (v < 0) {
                throw new ScriptError(line, "negative amount " + s);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ScriptError(line, "bad amount '" + s + "'");
        }
    }
}
