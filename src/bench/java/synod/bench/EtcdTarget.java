package synod.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's JSON gateway as a {@link Target}: each write is {@code POST /v3/kv/put} with
 * {@code {"key": base64, "value": base64}} to the leader; a reply counts only if its status is 200
 * and it carries the new revision. Requests travel by {@link Http1} (one connection per client), or
 * by the JDK's {@link HttpClient} when one is given (for comparison: it costs the generator more).
 */
final class EtcdTarget implements Target {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String PUT = "/v3/kv/put";

    private final Workload workload;
    private final Http1 lean;
    private final HttpClient jdk;
    private final URI put;
    /** Per key, encoded once: the generator's CPU should go to sending, not to formatting. */
    private final String[] bodies = new String[Workload.KEYS];
    private final byte[][] requests = new byte[Workload.KEYS][];

    EtcdTarget(URI leader, Workload workload, int clients, HttpClient jdk) throws IOException {
        this.workload = workload;
        this.jdk = jdk;
        this.put = leader.resolve(PUT);
        Base64.Encoder b64 = Base64.getEncoder();
        String value = b64.encodeToString(Workload.VALUE.getBytes(StandardCharsets.UTF_8));
        for (int k = 0; k < Workload.KEYS; k++) {
            String key = b64.encodeToString(Workload.key(k).getBytes(StandardCharsets.UTF_8));
            bodies[k] = "{\"key\":\"" + key + "\",\"value\":\"" + value + "\"}";
            requests[k] = Http1.post(leader.getHost() + ":" + leader.getPort(), PUT, bodies[k]);
        }
        this.lean = jdk != null ? null : new Http1(new InetSocketAddress(leader.getHost(), leader.getPort()), clients);
    }

    @Override
    public CompletableFuture<JsonNode> submit(int client, long seq) {
        int k = workload.nextKey(client);
        CompletableFuture<Http1.Reply> reply = lean != null ? lean.send(client, requests[k]) : viaJdk(bodies[k]);
        return reply.thenApply(EtcdTarget::check);
    }

    private CompletableFuture<Http1.Reply> viaJdk(String body) {
        HttpRequest req = HttpRequest.newBuilder(put).timeout(TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return jdk.sendAsync(req, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Http1.Reply(r.statusCode(), r.body()));
    }

    private static JsonNode check(Http1.Reply r) {
        if (r.status() != 200) {
            throw new IllegalStateException("etcd answered " + r.status() + ": " + r.body());
        }
        try {
            JsonNode reply = JSON.readTree(r.body());
            // the gateway writes int64 fields as JSON strings
            if (!reply.path("header").path("revision").asText("").matches("\\d+")) {
                throw new IllegalStateException("etcd's reply has no revision: " + r.body());
            }
            return reply;
        } catch (IOException e) {
            throw new UncheckedIOException("etcd's reply is not JSON: " + r.body(), e);
        }
    }

    @Override
    public void close() {
        if (lean != null) {
            lean.close();
        }
    }
}
