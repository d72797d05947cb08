package synod.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A 3-member etcd (the distribution's {@code etcd}) on 127.0.0.1, client ports 23791-23793, peer
 * ports 23801-23803, data under {@code DIR/eK}. etcd fsyncs its WAL before it answers by default
 * (this never passes {@code --unsafe-no-fsync}). Clients talk HTTP/1.1 with keep-alive to the
 * leader's JSON gateway, through {@link Http1} or, if asked, the JDK's HttpClient.
 */
public final class EtcdPeer implements Peer {
    static final String ETCD = "etcd";
    private static final int MEMBERS = 3;
    private static final int CLIENT_PORT = 23791;
    private static final int PEER_PORT = 23801;
    private static final long QUORUM_MILLIS = 30_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Runs HttpClient's completions; the selector has its own thread, and the cores are few. */
    private final ExecutorService executor = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
            r -> {
                Thread t = new Thread(r, "etcd-http");
                t.setDaemon(true);
                return t;
            });
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final boolean jdkClient;
    private Daemons daemons;
    private URI leader;

    /** {@code jdkClient}: load etcd through java.net.http.HttpClient instead of {@link Http1}. */
    public EtcdPeer(boolean jdkClient) {
        this.jdkClient = jdkClient;
    }

    @Override
    public String name() {
        return "etcd";
    }

    /** {@code etcd --version}'s first line, "etcd Version: 3.4.23". */
    @Override
    public String version() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(ETCD, "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return "etcd " + out.lines().findFirst().orElse("?").replaceFirst("^etcd Version: ", "");
    }

    @Override
    public void start(Path dir) throws Exception {
        daemons = new Daemons(dir);
        for (int i = 1; i <= MEMBERS; i++) {
            daemons.start("e" + i, command(dir, i));
        }
        leader = daemons.await("etcd leader agreed by all " + MEMBERS + " members", QUORUM_MILLIS, this::leader);
    }

    private static List<String> command(Path dir, int i) {
        List<String> peers = new ArrayList<>();
        for (int k = 1; k <= MEMBERS; k++) {
            peers.add("e" + k + "=" + peerUrl(k));
        }
        return List.of(ETCD, "--name", "e" + i, "--data-dir", dir.resolve("e" + i).toString(),
                "--listen-client-urls", clientUrl(i), "--advertise-client-urls", clientUrl(i),
                "--listen-peer-urls", peerUrl(i), "--initial-advertise-peer-urls", peerUrl(i),
                "--initial-cluster", String.join(",", peers), "--initial-cluster-state", "new",
                "--initial-cluster-token", "synod-bench", "--logger", "zap", "--log-outputs", "stderr");
    }

    private static String clientUrl(int i) {
        return "http://127.0.0.1:" + (CLIENT_PORT + i - 1);
    }

    private static String peerUrl(int i) {
        return "http://127.0.0.1:" + (PEER_PORT + i - 1);
    }

    /** The leader's client URL once every member answers and names the same leader; else null. */
    private URI leader() {
        String agreed = null;
        URI url = null;
        for (int i = 1; i <= MEMBERS; i++) {
            JsonNode s = status(i);
            String named = s == null ? "0" : s.path("leader").asText("0");
            if (named.equals("0") || (agreed != null && !agreed.equals(named))) {
                return null;
            }
            agreed = named;
            if (named.equals(s.path("header").path("member_id").asText())) {
                url = URI.create(clientUrl(i));
            }
        }
        return url;
    }

    /** POST /v3/maintenance/status; null while the member does not answer (starting up, say). */
    private JsonNode status(int i) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(clientUrl(i) + "/v3/maintenance/status"))
                .timeout(Duration.ofSeconds(1)).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public String client() {
        return "JSON gateway POST /v3/kv/put at the leader, HTTP/1.1 keep-alive, one connection per client, "
                + (jdkClient ? "java.net.http.HttpClient (" + Runtime.getRuntime().availableProcessors() + " threads)"
                        : "one NIO thread");
    }

    @Override
    public List<ProcessHandle> servers() {
        return daemons.handles();
    }

    @Override
    public Target target(Workload workload, int clients) throws IOException {
        return new EtcdTarget(leader, workload, clients, jdkClient ? http : null);
    }

    @Override
    public void close() {
        if (daemons != null) {
            daemons.close();
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
