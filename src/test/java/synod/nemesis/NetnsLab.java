package synod.nemesis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A test network on one machine: a Linux network namespace per node and one for the master, each
 * with a veth pair to a bridge in a namespace of its own, addresses in 10.77.0.0/24 inside the
 * namespaces only (node nK is 10.77.0.K, the master 10.77.0.100), so the root namespace gains no
 * link, address or rule. A partition is nftables rules inside the nodes' namespaces that drop
 * every packet to and from the peers cut off; the master, which is the clients' side, reaches
 * every node throughout.
 *
 * <p>Every name starts with {@code synod<PID>-}, the pid of the JVM that made the network: two runs
 * never share a name, and a run removes, at its start, the namespaces of runs whose process is
 * gone (a kill -9 leaves them). {@link #close} (also a shutdown hook, so Ctrl-C) kills what still
 * runs in the namespaces and deletes them, which takes their links and rules with them.
 */
final class NetnsLab implements AutoCloseable {
    static final String PREFIX = "synod";
    static final Pattern NAME = Pattern.compile(PREFIX + "(\\d+)-([a-z0-9]+)");
    static final String MASTER = "m";
    static final int MASTER_PORT = 7100;
    /** The nftables table a partition writes in a node's namespace. */
    static final String TABLE = "synodcut";

    final String run;
    final List<String> nodes;
    private final Thread hook = new Thread(this::remove, "netns-cleanup");
    private boolean closed;

    private NetnsLab(String run, List<String> nodes) {
        this.run = run;
        this.nodes = List.copyOf(nodes);
    }

    /** Why namespaces cannot be made here, or null when they can. */
    static String unavailable() {
        if (!System.getProperty("os.name").toLowerCase().contains("linux")) {
            return "not Linux";
        }
        for (String tool : List.of("ip", "nft")) {
            if (sh(List.of("sh", "-c", "command -v " + tool)).status != 0) {
                return "no " + tool + " on the PATH (make test-netns installs iproute2 and nftables)";
            }
        }
        String probe = PREFIX + ProcessHandle.current().pid() + "-probe";
        Result r = sh(List.of("ip", "netns", "add", probe));
        if (r.status != 0) {
            return "ip netns add fails (" + r.out.strip() + "): root, or CAP_SYS_ADMIN, is needed";
        }
        Result nft = sh(List.of("ip", "netns", "exec", probe, "nft", "add", "table", "inet", TABLE));
        sh(List.of("ip", "netns", "del", probe));
        return nft.status == 0 ? null : "nftables does not work in a namespace here (" + nft.out.strip() + ")";
    }

    /** Makes the network for {@code nodes}, after removing what dead runs left. */
    static NetnsLab create(List<String> nodes) throws IOException {
        removeStale();
        NetnsLab lab = new NetnsLab(PREFIX + ProcessHandle.current().pid() + "-", nodes);
        Runtime.getRuntime().addShutdownHook(lab.hook);
        try {
            lab.build();
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    /** The network {@code run} made (in another JVM), for its cuts: it creates and removes nothing. */
    static NetnsLab attach(String run, List<String> nodes) {
        NetnsLab lab = new NetnsLab(run, nodes);
        lab.closed = true;
        return lab;
    }

    private void build() throws IOException {
        String br = ns("br");
        ip("netns", "add", br);
        ip("-n", br, "link", "add", "br0", "type", "bridge");
        ip("-n", br, "link", "set", "br0", "up");
        List<String> all = new ArrayList<>(nodes);
        all.add(MASTER);
        for (String who : all) {
            String ns = ns(who);
            ip("netns", "add", ns);
            // made inside the bridge's namespace, its other end moved straight into the node's: the root namespace never sees it
            ip("-n", br, "link", "add", "v" + who, "type", "veth", "peer", "name", "eth0", "netns", ns);
            ip("-n", br, "link", "set", "v" + who, "master", "br0", "up");
            ip("-n", ns, "link", "set", "lo", "up");
            ip("-n", ns, "addr", "add", address(who) + "/24", "dev", "eth0");
            ip("-n", ns, "link", "set", "eth0", "up");
        }
    }

    String ns(String who) {
        return run + who;
    }

    /** Node nK's address, 10.77.0.K; the master's, 10.77.0.100. */
    static String address(String who) {
        return who.equals(MASTER) ? "10.77.0.100" : "10.77.0." + Integer.parseInt(who.substring(1));
    }

    /** The command prefix that runs a program in {@code who}'s namespace. */
    List<String> exec(String who) {
        return List.of("ip", "netns", "exec", ns(who));
    }

    /** {@code template} (config/cluster.json) with every node and the master on its namespace's address; returns {@code out}. */
    Path writeConfig(Path template, Path out) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode c = Files.exists(template) ? (ObjectNode) json.readTree(template.toFile()) : json.createObjectNode();
        c.put("master", address(MASTER) + ":" + MASTER_PORT);
        ObjectNode where = c.putObject("nodes");
        for (String n : nodes) {
            where.put(n, address(n) + ":" + (MASTER_PORT + Integer.parseInt(n.substring(1))));
        }
        Files.writeString(out, json.writerWithDefaultPrettyPrinter().writeValueAsString(c) + "\n");
        return out;
    }

    /**
     * Cuts the links {@code blocked} names: node {@code n} drops every packet from and to each of
     * {@code blocked.get(n)} (name both ends: a cut is made on each side). Replaces any earlier cut.
     */
    void cut(Map<String, Set<String>> blocked) throws IOException {
        for (String n : nodes) {
            Set<String> peers = blocked.getOrDefault(n, Set.of());
            String set = peers.stream().map(NetnsLab::address).collect(Collectors.joining(", "));
            // add-then-delete makes the batch work whether or not the table exists; the batch is atomic
            String rules = "add table inet " + TABLE + "\ndelete table inet " + TABLE + "\n" + (peers.isEmpty() ? ""
                    : "table inet " + TABLE + " {\n"
                    + "  chain input { type filter hook input priority 0; ip saddr { " + set + " } drop; }\n"
                    + "  chain output { type filter hook output priority 0; ip daddr { " + set + " } drop; }\n}\n");
            Result r = sh(List.of("ip", "netns", "exec", ns(n), "nft", "-f", "-"), rules);
            if (r.status != 0) {
                throw new IOException("nft in " + ns(n) + " failed: " + r.out.strip() + "\n" + rules);
            }
        }
    }

    /** Every link whole again. */
    void heal() throws IOException {
        cut(Map.of());
    }

    /** The rules now in {@code node}'s namespace (the test checks a cut is there and a heal removes it). */
    String rules(String node) {
        return sh(List.of("ip", "netns", "exec", ns(node), "nft", "list", "ruleset")).out;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        remove();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is exiting and the hook runs (or ran) remove() itself
        }
    }

    private void remove() {
        for (String name : names()) {
            if (name.startsWith(run)) {
                delete(name);
            }
        }
    }

    /** The namespaces of this machine whose names say they belong to a run, of any pid. */
    static List<String> names() {
        List<String> all = new ArrayList<>();
        for (String line : sh(List.of("ip", "netns", "list")).out.split("\n")) {
            Matcher m = NAME.matcher(line.strip().split(" ")[0]);
            if (m.matches()) {
                all.add(m.group());
            }
        }
        return all;
    }

    /** Removes the namespaces of runs whose JVM is gone. */
    static void removeStale() {
        for (String name : names()) {
            Matcher m = NAME.matcher(name);
            if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).map(h -> !h.isAlive()).orElse(true)) {
                System.err.println("netns: removing " + name + ", left by a run that is gone");
                delete(name);
            }
        }
    }

    /** Kills what runs in namespace {@code name} (a node the master left behind), then deletes it and its links. */
    private static void delete(String name) {
        for (String pid : sh(List.of("ip", "netns", "pids", name)).out.split("\\s+")) {
            if (pid.matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        sh(List.of("ip", "netns", "del", name));
    }

    private static void ip(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Result r = sh(cmd);
        if (r.status != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + r.out.strip());
        }
    }

    record Result(int status, String out) {}

    static Result sh(List<String> cmd) {
        return sh(cmd, null);
    }

    /** Runs {@code cmd} (with {@code stdin}), its output and error together; status -1 if it could not run or took 20 s. */
    static Result sh(List<String> cmd, String stdin) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, out + " (timed out)");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
