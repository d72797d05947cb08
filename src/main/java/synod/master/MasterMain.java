package synod.master;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import synod.runtime.ClusterConfig;
import synod.runtime.Logs;

/**
 * {@code bin/master [ARGFILE]}: reads a command script (or stdin), runs it against node JVMs it
 * spawns, and prints exactly the graded output on stdout. Errors go to stderr with their line
 * number; the run goes on and the exit status is 1 at the end. Whatever happens, no node it
 * started is left running.
 */
public final class MasterMain {
    static final long DEFAULT_SEED = 380;

    private MasterMain() {}

    public static void main(String[] args) {
        Options opts = options();
        CommandLine cl;
        try {
            cl = new DefaultParser().parse(opts, args);
            if (cl.hasOption("help")) {
                new HelpFormatter().printHelp("bin/master [options] [ARGFILE]", opts);
                return;
            }
            if (cl.getArgList().size() > 1) {
                throw new ParseException("at most one script file, got " + cl.getArgList());
            }
        } catch (ParseException e) {
            System.err.println("master: " + e.getMessage() + " (try --help)");
            System.exit(2);
            return;
        }
        Path logs = Path.of(cl.getOptionValue("logs", "logs"));
        String trace = cl.getOptionValue("trace");
        if (trace != null && !TraceReport.supported(trace)) {
            System.err.println("master: --trace takes FILE.html (the picture) or FILE.log (for ShiViz), not " + trace);
            System.exit(2);
            return;
        }
        Path traceDir = trace == null ? null : Path.of(trace).toAbsolutePath().getParent();
        if (traceDir != null && !Files.isDirectory(traceDir)) { // said now, not after the whole run
            System.err.println("master: --trace " + trace + ": no such directory " + traceDir);
            System.exit(2);
            return;
        }
        Logs.toFile(logs.resolve("master.log"));
        if (trace != null) {
            try {
                synod.runtime.Trace.clear(logs);
                synod.runtime.Trace.start(logs, synod.core.Envelope.MASTER);
                ProcessCluster.traceNodes(true);
            } catch (IOException e) {
                System.err.println("master: cannot trace in " + logs + ": " + e.getMessage());
                System.exit(1);
                return;
            }
        }
        if (cl.hasOption("progress")) {
            Progress.enable();
        }
        int status = run(cl, logs);
        if (trace != null) {
            status = Math.max(status, report(logs, Path.of(trace),
                    cl.getArgList().isEmpty() ? "stdin" : Path.of(cl.getArgList().get(0)).getFileName().toString()));
        }
        System.exit(status);
    }

    /** Merges the run's traces into {@code out}; says where on stderr (stdout is graded output). */
    private static int report(Path logs, Path out, String title) {
        synod.runtime.Trace.get().flush();
        try {
            int n = TraceReport.write(logs, out, title);
            System.err.println("master: trace of " + n + " events in " + out);
            return 0;
        } catch (IOException e) {
            System.err.println("master: cannot write the trace " + out + ": " + e.getMessage());
            return 1;
        }
    }

    private static Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("seed").hasArg().desc("seed of every random choice (default " + DEFAULT_SEED + ")").build())
                .addOption(Option.builder().longOpt("logs").hasArg().desc("log directory (default logs)").build())
                .addOption(Option.builder().longOpt("config").hasArg().desc("cluster config (default config/cluster.json)").build())
                .addOption(Option.builder().longOpt("batch").desc("never prompt").build())
                .addOption(Option.builder().longOpt("prompt").desc("prompt even if Java sees no terminal (bin/master passes it when stdin is one)").build())
                .addOption(Option.builder().longOpt("in-process").desc("run the node cores inside this JVM (no sockets)").build())
                .addOption(Option.builder().longOpt("layout").hasArg().desc("CSE535 Project 3 files: GxR groups x nodes for every set (default 3x3, 5x5 for a set naming a node above n9)").build())
                .addOption(Option.builder().longOpt("node-heap").hasArg().desc("-Xmx of each node JVM (default 64m)").build())
                .addOption(Option.builder().longOpt("trace").hasArg().argName("FILE").desc("record every node's events and draw them: FILE.html (a space-time picture) or FILE.log (ShiViz's format)").build())
                .addOption(Option.builder().longOpt("progress").desc("a CSE535 file's progress on stderr (bin/master passes it when stderr is a terminal)").build())
                .addOption(Option.builder().longOpt("help").desc("this help").build());
    }

    private static int run(CommandLine cl, Path logs) {
        long seed;
        try {
            seed = Long.parseLong(cl.getOptionValue("seed", String.valueOf(DEFAULT_SEED)));
        } catch (NumberFormatException e) {
            System.err.println("master: --seed takes a number");
            return 2;
        }
        String source = cl.getArgList().isEmpty() ? "stdin" : cl.getArgList().get(0);
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        boolean[] failed = {false};
        BankRunner.Diagnostics diag = new BankRunner.Diagnostics() {
            @Override
            public void error(int line, String msg) {
                out.flush();
                System.err.println(source + ":" + line + ": " + msg);
                failed[0] = true;
            }

            @Override
            public void warning(int line, String msg) {
                out.flush();
                System.err.println(source + ":" + line + ": warning: " + msg);
            }
        };
        Path file = Path.of(cl.getOptionValue("config", "config/cluster.json"));
        Path configFile = Files.exists(file) ? file : null;
        BankCluster cluster;
        ClusterConfig c;
        try {
            c = config(cl, file);
            cluster = cl.hasOption("in-process") ? new InProcessCluster()
                    : new ProcessCluster(new ProcessCluster.Settings(logs, c, configFile));
        } catch (IOException e) {
            System.err.println("master: cannot start: " + e.getMessage());
            return 1;
        }
        if (source.toLowerCase(java.util.Locale.ROOT).endsWith(".csv")) {
            cluster.close();
            return runCsv(cl, source, c, logs, configFile, seed, out, diag) && !failed[0] ? 0 : 1;
        }
        if (cl.hasOption("layout")) {
            cluster.close();
            System.err.println("master: --layout is for CSE535 Project 3 files; a script says StartCluster G R");
            return 2;
        }
        LockRunner locks = new LockRunner(c, logs, configFile, seed, c.requestMillis(), out, diag);
        Thread reaper = new Thread(() -> {
            if (cluster instanceof ProcessCluster pc) {
                pc.killNow();
            }
            locks.close();
        }, "reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        try (BufferedReader in = open(source)) {
            boolean prompt = source.equals("stdin") && prompts(cl);
            runScript(in, new BankRunner(cluster, new Random(seed), out, diag), locks, diag, out, prompt);
        } catch (IOException e) {
            System.err.println("master: cannot read " + source + ": " + why(e));
            failed[0] = true;
        } finally {
            locks.finish();
            out.flush();
            cluster.close();
        }
        return failed[0] ? 1 : 0;
    }

    /** {@code bin/master FILE.csv}: a CSE535 test file, sets in order, a prompt between them. */
    private static boolean runCsv(CommandLine cl, String source, ClusterConfig c, Path logs, Path configFile, long seed,
                                  PrintStream out, BankRunner.Diagnostics diag) {
        boolean interactive = prompts(cl);
        BufferedReader console = interactive
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)) : null;
        try {
            synod.runtime.Layout layout = null;
            if (cl.hasOption("layout")) {
                try {
                    layout = synod.runtime.Layout.parse(cl.getOptionValue("layout"));
                } catch (IllegalArgumentException e) {
                    System.err.println("master: --layout: " + e.getMessage());
                    return false;
                }
            }
            List<CsvScript.Set> sets = CsvScript.load(Files.readString(Path.of(source), StandardCharsets.UTF_8), layout, diag);
            if (sets == null) {
                return false; // reported, line by line; nothing was started
            }
            if (CsvScript.project3(sets) || layout != null) {
                if (layout != null && !CsvScript.project3(sets)) {
                    System.err.println("master: --layout is for CSE535 Project 3 files; " + source + " is a Project 1 file");
                    return false;
                }
                ShardedCsvRunner runner = new ShardedCsvRunner(c, logs, configFile, seed, out, diag, console, layout);
                Runtime.getRuntime().addShutdownHook(new Thread(runner::kill, "reaper"));
                return runner.run(sets);
            }
            CsvRunner runner = new CsvRunner(c, logs, configFile, seed, out, diag, console);
            Runtime.getRuntime().addShutdownHook(new Thread(runner::kill, "reaper"));
            return runner.run(sets);
        } catch (IOException e) {
            out.flush();
            System.err.println("master: cannot read " + source + ": " + why(e));
            return false;
        } catch (BankCluster.ClusterException e) {
            out.flush();
            System.err.println("master: " + source + ": " + e.getMessage());
            return false;
        } finally {
            out.flush();
        }
    }

    /**
     * Whether to prompt: unless --batch, when asked to (--prompt: stdin is a terminal, which Java 17
     * cannot tell by itself) or when Java sees a console (stdin and stdout both terminals).
     */
    private static boolean prompts(CommandLine cl) {
        return !cl.hasOption("batch") && (cl.hasOption("prompt") || System.console() != null);
    }

    private static ClusterConfig config(CommandLine cl, Path file) throws IOException {
        ClusterConfig c = ClusterConfig.load(file, cl.hasOption("config"));
        if (cl.hasOption("node-heap")) {
            c = c.withNodeHeap(cl.getOptionValue("node-heap"));
        }
        return c;
    }

    /** What went wrong reading a file, in a reader's words rather than an exception's. */
    static String why(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.charset.CharacterCodingException) {
            return "not UTF-8 text (a binary file?)";
        }
        if (e instanceof IOException && e.getMessage() != null && e.getMessage().contains("Is a directory")) {
            return "a directory, not a file";
        }
        return e.getMessage();
    }

    private static BufferedReader open(String source) throws IOException {
        if (source.equals("stdin")) {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        return Files.newBufferedReader(Path.of(source), StandardCharsets.UTF_8);
    }

    /**
     * Parses and runs line by line, so typed commands run as they are entered. Consecutive
     * CreateNode lines that are already available run as one batch (their JVMs start together).
     */
    private static void runScript(BufferedReader in, BankRunner runner, LockRunner locks, BankRunner.Diagnostics diag,
                                  PrintStream out, boolean prompt) throws IOException {
        int n = 0;
        Command held = null;
        while (true) {
            Command c = held;
            held = null;
            if (c == null) {
                if (prompt) {
                    System.err.print("synod> ");
                    System.err.flush(); // no newline: without a flush the prompt would show late
                }
                String text = in.readLine();
                if (text == null) {
                    return;
                }
                c = parse(++n, text, diag);
            }
            if (c instanceof Command.CreateNode first) {
                List<Command.CreateNode> batch = new ArrayList<>(List.of(first));
                while (held == null && in.ready()) {
                    String text = in.readLine();
                    if (text == null) {
                        break;
                    }
                    Command next = parse(++n, text, diag);
                    if (next instanceof Command.CreateNode more) {
                        batch.add(more);
                    } else if (next != null) {
                        held = next;
                    }
                }
                runner.createNodes(batch);
            } else if (c instanceof Command.KillAll) {
                runner.run(c);
                locks.run(c);
            } else if (c != null && LockRunner.takes(c)) {
                locks.run(c);
            } else if (c != null) {
                runner.run(c);
            }
            out.flush();
        }
    }

    private static Command parse(int n, String text, BankRunner.Diagnostics diag) {
        try {
            Command c = ScriptParser.parse(n, text);
            synod.runtime.Trace t = synod.runtime.Trace.get();
            if (c != null && t != null) {
                t.note("cmd", text.strip(), "line", n);
            }
            return c;
        } catch (ScriptParser.ScriptError e) {
            diag.error(n, e.getMessage().replaceFirst("^line \\d+: ", ""));
            return null;
        }
    }
}
