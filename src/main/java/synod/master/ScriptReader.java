package synod.master;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads a whole script, parsing each line; bad lines become errors with their line numbers. */
public final class ScriptReader {
    private ScriptReader() {}

    /** The commands of a script and the messages for lines that are not commands. */
    public record Parsed(List<Command> commands, List<String> errors) {}

    public static Parsed read(BufferedReader in) throws IOException {
        List<Command> commands = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        int n = 0;
        for (String text = in.readLine(); text != null; text = in.readLine()) {
            n++;
            try {
                Command c = ScriptParser.parse(n, text);
                if (c != null) {
                    commands.add(c);
                }
            } catch (ScriptParser.ScriptError e) {
                errors.add(e.getMessage());
            }
        }
        return new Parsed(commands, errors);
    }
}
