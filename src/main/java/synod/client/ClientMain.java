package synod.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import synod.app.Op;
import synod.app.Result;
import synod.core.Message;
import synod.paxos.PaxosMsg;
import synod.runtime.Auth;
import synod.runtime.ClusterConfig;
import synod.runtime.ClusterKey;
import synod.runtime.EventLoop;
import synod.runtime.FrameCodec;
import synod.runtime.Logs;
import synod.runtime.Transport;

/**
 * {@code bin/client}: one interactive client of the lock service, the bank and the key-value store
 * (one group: {@code --nodes}, by default the group the master last started). It dials every node of the group, sends each
 * request to the leader it believes in, and prints results as they come, including a waiting lock
 * granted later because another client released it. Commands: {@code lock L}, {@code unlock L},
 * {@code transfer A B 5}, {@code balance A}, {@code put k v}, {@code get k}, {@code del k},
 * {@code status}, {@code quit}.
 */
public final class ClientMain implements Transport.Listener {
    private final String name;
    private final List<String> nodes;
    private final ClientSession session;
    /** Where the nodes listen, for saying where it tried when none answers. */
    private final String where;
    private long seq = 0;

    private ClientMain(String name, List<String> nodes, ClusterConfig cfg, EventLoop loop, Auth auth) {
        this.name = name;
        this.nodes = nodes;
        Transport transport = new Transport(loop, new FrameCodec(cfg.frameBytesMax()), name, this,
                cfg.transportSettings(), auth);
        this.session = new ClientSession(loop, transport, g -> nodes, 300);
        this.where = nodes.stream().map(n -> n + " " + cfg.host() + ":" + cfg.port(n)).collect(java.util.stream.Collectors.joining(", "));
        session.onNotice(n -> say(describe(n.client(), n.result())));
        loop.execute(() -> {
            for (String n : nodes) {
                transport.connect(n, new InetSocketAddress(cfg.host(), cfg.port(n)), true);
            }
        });
    }

    public static void main(String[] args) throws IOException {
        Options opts = new Options()
                .addOption(Option.builder().longOpt("name").hasArg().desc("client id (default cli-PID)").build())
                .addOption(Option.builder().longOpt("nodes").hasArg().desc("the group (default: the one the master last started, from logs/n1/group; else n1,n2,n3,n4,n5)").build())
                .addOption(Option.builder().longOpt("config").hasArg().desc("cluster config (default config/cluster.json)").build())
                .addOption(Option.builder().longOpt("key").hasArg().desc("the client key (default logs/client.key)").build());
        CommandLine cl;
        ClusterConfig cfg;
        Auth auth;
        try {
            cl = new DefaultParser().parse(opts, args);
            cfg = ClusterConfig.load(Path.of(cl.getOptionValue("config", "config/cluster.json")), cl.hasOption("config"));
            auth = auth(cfg, Path.of(cl.getOptionValue("key", "logs/" + ClusterKey.CLIENT_FILE)));
        } catch (ParseException | IOException e) {
            System.err.println("client: " + e.getMessage());
            System.exit(2);
            return;
        }
        String name = cl.getOptionValue("name", "cli-" + ProcessHandle.current().pid());
        Logs.toFile(Path.of("logs", "clients", name + ".log"));
        List<String> nodes;
        try {
            nodes = Arrays.stream(cl.getOptionValue("nodes", lastGroup()).split(",")).map(String::strip).toList();
            nodes.forEach(cfg::port); // each must be a node of the config
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("client: --nodes: " + e.getMessage());
            System.exit(2);
            return;
        }
        EventLoop loop = new EventLoop("client-" + name);
        ClientMain client = new ClientMain(name, nodes, cfg, loop, auth);
        loop.start();
        client.repl(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
        loop.close();
        System.exit(0);
    }

    /** The group the master last started here (it wrote logs/n1/group), or n1..n5. */
    private static String lastGroup() throws IOException {
        Path file = Path.of("logs", "n1", "group");
        return java.nio.file.Files.exists(file) ? java.nio.file.Files.readString(file).strip() : "n1,n2,n3,n4,n5";
    }

    private void repl(BufferedReader in) throws IOException {
        boolean prompt = System.console() != null;
        say(name + " talks to " + nodes + "; commands: " + COMMANDS);
        for (String line = read(in, prompt); line != null; line = read(in, prompt)) {
            String[] w = line.strip().split("\\s+");
            String cmd = w[0].toLowerCase(Locale.ROOT);
            if (cmd.isEmpty()) {
                continue;
            } else if (cmd.equals("quit") || cmd.equals("exit")) {
                return;
            } else if (cmd.equals("status")) {
                say(name + ": leader " + (session.leader(1) == null ? "unknown" : session.leader(1)) + ", " + seq + " requests sent");
            } else {
                Op op = op(cmd, w);
                if (op == null) {
                    say("? commands: " + COMMANDS);
                } else {
                    await(op, session.submit(name, ++seq, op, 1));
                }
            }
        }
    }

    private static final String COMMANDS = "lock L, unlock L, transfer A B 5, balance A, put k v, get k, del k, status, quit";

    /** The client's key: the file the master wrote, or the config's; none with authentication off. */
    private static Auth auth(ClusterConfig cfg, Path file) throws IOException {
        if (!cfg.authenticate()) {
            return Auth.OFF;
        }
        ClusterKey key = java.nio.file.Files.exists(file) ? ClusterKey.load(file) : ClusterKey.fromConfig(cfg);
        if (key == null) {
            throw new IOException("no client key: " + file + " is missing (the master writes it when it starts a"
                    + " cluster) and the config gives no clusterId and clusterKey");
        }
        return Auth.client(key);
    }

    /** The operation a line asks for, or null if it is not one. */
    private static Op op(String cmd, String[] w) {
        try {
            if (cmd.equals("lock") && w.length == 2) {
                return new Op.Lock(w[1]);
            } else if (cmd.equals("unlock") && w.length == 2) {
                return new Op.Unlock(w[1]);
            } else if (cmd.equals("transfer") && w.length == 4) {
                return new Op.Transfer(w[1], w[2], Long.parseLong(w[3]));
            } else if (cmd.equals("balance") && w.length == 2) {
                return new Op.Balance(w[1]);
            } else if (cmd.equals("put") && w.length == 3) {
                return new Op.Put(w[1], w[2]);
            } else if (cmd.equals("get") && w.length == 2) {
                return new Op.Get(w[1]);
            } else if ((cmd.equals("del") || cmd.equals("delete")) && w.length == 2) {
                return new Op.Delete(w[1]);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }

    private static String read(BufferedReader in, boolean prompt) throws IOException {
        if (prompt) {
            System.err.print("client> ");
            System.err.flush(); // no newline: without a flush the prompt would show late
        }
        return in.readLine();
    }

    /** Waits for the answer; a slow one is announced, and printed whenever it comes. */
    private void await(Op op, CompletableFuture<Result> f) {
        try {
            say(describe(op, f.get(5, TimeUnit.SECONDS)));
        } catch (TimeoutException e) {
            say(name + " pending: no majority of " + nodes + " answered within 5 s (tried " + where
                    + "; is a cluster running?); still retrying, the answer is printed when it comes");
            f.thenAccept(r -> say(describe(op, r)));
        } catch (Exception e) {
            say(name + " error: " + e);
        }
    }

    private static String describe(String client, Result r) {
        return ResultLines.of(client, r, false).get(0);
    }

    private String describe(Op op, Result r) {
        if (op instanceof Op.Transfer t) {
            return ResultLines.transferHead(t.from(), t.to(), t.amount()) + " " + ResultLines.transfer(r);
        }
        if (op instanceof Op.Balance b) {
            return ResultLines.balance(b.account(), r);
        }
        if (op instanceof Op.Put || op instanceof Op.Get || op instanceof Op.Delete) {
            return ResultLines.kv(r);
        }
        return describe(name, r);
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    @Override
    public void onMessage(String from, Message m) {
        if (m instanceof PaxosMsg pm) {
            session.onMessage(from, pm);
        }
    }
}
