package synod.bench.zk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import synod.bench.Daemons;
import synod.bench.Peer;
import synod.bench.Target;
import synod.bench.Workload;

/**
 * A 3-node ZooKeeper ensemble from the distribution's {@code zookeeper} package, one JVM per server
 * ({@code QuorumPeerMain}, 512 MB heap) on 127.0.0.1: client ports 21811-21813, quorum 28881-28883,
 * election 38881-38883, data and config under {@code DIR/zkK}. Every transaction is forced to disk
 * before it is acknowledged ({@code forceSync=yes}, the default, written out). Clients connect to
 * the leader only, found with the {@code srvr} four-letter command.
 */
public final class ZkPeer implements Peer {
    private static final String JAR = "/usr/share/java/zookeeper.jar";
    /** slf4j binding for the servers' own logs (into DIR/zkK.out); without it they log nothing. */
    private static final String SLF4J = "/usr/share/java/slf4j-simple.jar";
    private static final int SERVERS = 3;
    private static final int CLIENT_PORT = 21811;
    private static final int QUORUM_PORT = 28881;
    private static final int ELECTION_PORT = 38881;
    private static final long QUORUM_MILLIS = 60_000;

    private final int handles;
    private Daemons daemons;
    private String leader;

    /** {@code handles}: client handles the closed-loop clients share; 0 for one per client. */
    public ZkPeer(int handles) {
        this.handles = handles;
    }

    @Override
    public String name() {
        return "zk";
    }

    /** From the jar itself: "Apache ZooKeeper, version 3.8.0 2024-12-29 17:54 UTC". */
    @Override
    public String version() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java(), "-cp", JAR, "org.apache.zookeeper.version.VersionInfoMain")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return "ZooKeeper " + out.replaceFirst("^Apache ZooKeeper, version ", "").split(" ")[0];
    }

    @Override
    public String client() {
        return "ZooKeeper Java client " + org.apache.zookeeper.Version.getFullVersion().split("[-, ]")[0]
                + ", async setData at the leader, " + (handles > 0 ? handles + " shared handles" : "one handle per client");
    }

    @Override
    public void start(Path dir) throws Exception {
        daemons = new Daemons(dir);
        for (int i = 1; i <= SERVERS; i++) {
            Path cfg = configure(dir.resolve("zk" + i), i);
            List<String> cp = new ArrayList<>(List.of(JAR));
            if (Files.exists(Path.of(SLF4J))) {
                cp.add(SLF4J);
            }
            daemons.start("zk" + i, List.of(java(), "-Xmx512m", "-cp", String.join(":", cp),
                    "org.apache.zookeeper.server.quorum.QuorumPeerMain", cfg.toString()));
        }
        leader = daemons.await("ZooKeeper leader with " + (SERVERS - 1) + " followers", QUORUM_MILLIS, this::leader);
        ZkTarget.createKeys(leader);
    }

    /** Writes server {@code i}'s zoo.cfg and myid under {@code home}; returns the zoo.cfg. */
    private static Path configure(Path home, int i) throws IOException {
        Path data = home.resolve("data").toAbsolutePath();
        Files.createDirectories(data);
        Files.writeString(data.resolve("myid"), i + "\n");
        List<String> cfg = new ArrayList<>(List.of(
                "tickTime=2000", "initLimit=10", "syncLimit=5",
                "dataDir=" + data,
                "clientPortAddress=127.0.0.1", "clientPort=" + (CLIENT_PORT + i - 1),
                // the durability synod has: every transaction forced to disk before it is acknowledged
                "forceSync=yes",
                // one connection per closed-loop client, all from 127.0.0.1: the default caps them at 60
                "maxClientCnxns=0",
                // finding the leader takes srvr (mntr: to look inside by hand, fsync counts say);
                // the admin server would want port 8080 three times
                "4lw.commands.whitelist=srvr,mntr", "admin.enableServer=false"));
        for (int k = 1; k <= SERVERS; k++) {
            cfg.add("server." + k + "=127.0.0.1:" + (QUORUM_PORT + k - 1) + ":" + (ELECTION_PORT + k - 1));
        }
        Path file = home.resolve("zoo.cfg");
        Files.write(file, cfg);
        return file;
    }

    /** The leader's connect string once one server leads and the others follow; else null. */
    private String leader() {
        String lead = null;
        int followers = 0;
        for (int i = 1; i <= SERVERS; i++) {
            String mode = srvr(CLIENT_PORT + i - 1).lines().filter(l -> l.startsWith("Mode: ")).findFirst().orElse("");
            if (mode.equals("Mode: leader")) {
                lead = "127.0.0.1:" + (CLIENT_PORT + i - 1);
            } else if (mode.equals("Mode: follower")) {
                followers++;
            }
        }
        return followers == SERVERS - 1 ? lead : null;
    }

    /** The server's answer to {@code srvr}; empty while it does not answer. */
    private static String srvr(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public List<ProcessHandle> servers() {
        return daemons.handles();
    }

    @Override
    public Target target(Workload workload, int clients) throws Exception {
        return new ZkTarget(leader, workload, clients, handles);
    }

    @Override
    public void close() {
        if (daemons != null) {
            daemons.close();
        }
    }
}
