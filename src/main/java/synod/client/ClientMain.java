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
import synod.runtime.Layout;
import synod.runtime.Logs;
import synod.runtime.Transport;

/**
 * {@code bin/client}: one interactive client. It dials every node of the cluster, sends each
 * request to the leader it believes in of the group that holds what the request names, and prints
 * results as they come, including a waiting lock granted later because another client released
 * it. A key goes to its group by its hash ({@link synod.app.KvShard}); a transaction to its first
 * key's group, which coordinates it; the bank's placement is the master's, so a transfer or read
 * goes to group 1 first and, told the item lives elsewhere ({@link Result.Elsewhere}), there.
 * Commands: {@code lock L}, {@code unlock L}, {@code transfer A B 5}, {@code balance A}, {@code put
 * k v}, {@code get k}, {@code del k}, {@code txn put a 1 put b 2 del c expect d 4 ...}, {@code
 * status}, {@code quit}.
 */
public final class ClientMain implements Transport.Listener {
    private final String name;
    private final Layout layout;
    private final ClientSession session;
    /** Where the nodes listen, for saying where it tried when none answers. */
    private final String where;
    private final java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong();

    private ClientMain(String name, Layout layout, ClusterConfig cfg, EventLoop loop, Auth auth) {
        this.name = name;
        this.layout = layout;
        Transport transport = new Transport(loop, new FrameCodec(cfg.frameBytesMax()), name, this,
                cfg.transportSettings(), auth);
        this.session = new ClientSession(loop, transport,
                g -> g >= 1 && g <= layout.groups().size() ? layout.group(g) : List.of(), 300);
        this.where = layout.nodes().stream().map(n -> n + " " + cfg.hostPort(n))
                .collect(java.util.stream.Collectors.joining(", "));
        session.onNotice(n -> say(describe(n.client(), n.result())));
        loop.execute(() -> {
            for (String n : layout.nodes()) {
                transport.connect(n, cfg.address(n), true);
            }
        });
    }

    public static void main(String[] args) throws IOException {
        Options opts = new Options()
                .addOption(Option.builder().longOpt("name").hasArg().desc("client id (default cli-PID)").build())
                .addOption(Option.builder().longOpt("nodes").hasArg().desc("one group alone (default: the cluster the master last started, else n1,n2,n3,n4,n5)").build())
                .addOption(Option.builder().longOpt("layout").hasArg().desc("the cluster, GxR: G groups of R nodes"
                        + " (default: the one logs/n1/layout remembers, else --nodes)").build())
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
        Layout layout;
        try {
            layout = layout(cl);
            for (String n : layout.nodes()) { // each must be a node of the config, at an address that resolves
                if (cfg.address(n).isUnresolved()) {
                    throw new IllegalArgumentException(n + "'s address " + cfg.hostPort(n) + ": the host \""
                            + cfg.hostPort(n).host() + "\" does not resolve");
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("client: " + e.getMessage());
            System.exit(2);
            return;
        }
        EventLoop loop = new EventLoop("client-" + name);
        ClientMain client = new ClientMain(name, layout, cfg, loop, auth);
        loop.start();
        client.repl(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
        loop.close();
        System.exit(0);
    }

    /**
     * {@code --layout}, else {@code --nodes} as one group, else what the nodes the master last started
     * here remember (logs/n1/layout, else logs/n1/group), else n1..n5.
     */
    private static Layout layout(CommandLine cl) throws IOException {
        if (cl.hasOption("layout")) {
            return Layout.parse(cl.getOptionValue("layout"));
        }
        if (!cl.hasOption("nodes")) {
            Path remembered = Path.of("logs", "n1", "layout");
            if (java.nio.file.Files.exists(remembered)) {
                return Layout.parse(java.nio.file.Files.readString(remembered));
            }
            Path group = Path.of("logs", "n1", "group");
            if (java.nio.file.Files.exists(group)) {
                return Layout.single(Arrays.stream(java.nio.file.Files.readString(group).strip().split(","))
                        .map(String::strip).toList());
            }
        }
        return Layout.single(Arrays.stream(cl.getOptionValue("nodes", "n1,n2,n3,n4,n5").split(",")).map(String::strip)
                .toList());
    }

    private void repl(BufferedReader in) throws IOException {
        boolean prompt = System.console() != null;
        say(name + " talks to " + layout.groups() + "; commands: " + COMMANDS);
        for (String line = read(in, prompt); line != null; line = read(in, prompt)) {
            String[] w = line.strip().split("\\s+");
            String cmd = w[0].toLowerCase(Locale.ROOT);
            if (cmd.isEmpty()) {
                continue;
            } else if (cmd.equals("quit") || cmd.equals("exit")) {
                return;
            } else if (cmd.equals("status")) {
                say(name + ": leader " + (session.leader(1) == null ? "unknown" : session.leader(1)) + ", " + seq.get() + " requests sent");
            } else if (cmd.equals("txn")) {
                txn(w);
            } else {
                Op op = op(cmd, w);
                if (op == null) {
                    say("? commands: " + COMMANDS);
                } else {
                    send(op, groupOf(op));
                }
            }
        }
    }

    private static final String COMMANDS = "lock L, unlock L, transfer A B 5, balance A, put k v, get k, del k,"
            + " txn put a 1 put b 2 del c expect d 4 expect e absent, status, quit";

    /** The group a request goes to first: a key's by its hash, the rest group 1's (locks live there). */
    private int groupOf(Op op) {
        int groups = layout.groups().size();
        if (op instanceof Op.Put p) {
            return synod.app.KvShard.groupOf(p.key(), groups);
        }
        if (op instanceof Op.Get g) {
            return synod.app.KvShard.groupOf(g.key(), groups);
        }
        if (op instanceof Op.Delete d) {
            return synod.app.KvShard.groupOf(d.key(), groups);
        }
        if (op instanceof Op.KvTxn t) {
            return synod.app.KvShard.groupOf(t.steps().get(0).item(), groups);
        }
        return 1;
    }

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

    /** {@code txn STEP...}: the result, then the groups it involved, the coordinator first. */
    private void txn(String[] w) {
        Op.KvTxn op;
        try {
            op = new Op.KvTxn(TxnSteps.parse(Arrays.asList(w).subList(1, w.length)));
        } catch (IllegalArgumentException e) {
            say("? " + e.getMessage());
            return;
        }
        java.util.LinkedHashSet<Integer> groups = new java.util.LinkedHashSet<>();
        op.steps().forEach(s -> groups.add(synod.app.KvShard.groupOf(s.item(), layout.groups().size())));
        say("txn on group" + (groups.size() > 1 ? "s " : " ") + String.join(", ", groups.stream().map(String::valueOf)
                .toList()) + (groups.size() > 1 ? " (group " + groups.iterator().next() + " coordinates)"
                : " (one group: one log entry)"));
        send(op, groupOf(op));
    }

    /** Sends {@code op} to group {@code g}; told the item lives in another group, sends it there once. */
    private void send(Op op, int g) {
        CompletableFuture<Result> f = session.submit(name, seq.incrementAndGet(), op, g).thenCompose(r -> {
            if (r instanceof Result.Elsewhere e && e.group() != g && e.group() >= 1
                    && e.group() <= layout.groups().size()) {
                return session.submit(name, seq.incrementAndGet(), op, e.group());
            }
            return CompletableFuture.completedFuture(r);
        });
        await(op, f);
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
            say(name + " pending: no majority of " + layout.groups() + " answered within 5 s (tried " + where
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
        if (op instanceof Op.KvTxn) {
            return ResultLines.txn(r);
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
