package synod.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Command line for {@link Cs380dChecker}: {@code CheckMain SCRIPT OUTPUT_FILE}. Exit 0 silently when
 * the output is one a correct system may print, 1 with the reason on stderr when it is not, 2 on a
 * usage or I/O error (or when the case is too large to decide). Keeps stdout empty so graders can rely on the exit code alone.
 */
public final class CheckMain {
    private CheckMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: CheckMain SCRIPT OUTPUT_FILE");
            return 2;
        }
        String script;
        String output;
        try {
            script = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
            output = Files.readString(Path.of(args[1]), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            System.err.println("cannot read input: " + e);
            return 2;
        }
        Cs380dChecker.Verdict v;
        try {
            v = Cs380dChecker.check(script, output);
        } catch (RuntimeException e) {
            // Only the size guard can land here: say so rather than pass or fail the output.
            System.err.println("cannot decide: " + e.getMessage());
            return 2;
        }
        if (v.accepted()) {
            return 0;
        }
        System.err.println(args[1] + ": " + v.reason());
        return 1;
    }
}
