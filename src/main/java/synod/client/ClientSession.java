package synod.client;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import synod.app.Op;
import synod.app.Result;
import synod.paxos.PaxosMsg;
import synod.paxos.Request;
import synod.runtime.EventLoop;
import synod.runtime.Transport;

/**
 * The client side of the replicated services, for any number of named clients sharing one
 * transport (the master plays all of a script's clients; {@code bin/client} plays one). Each client
 * has at most one request in flight, numbered so that retries execute once. A request goes to the
 * leader the client believes in (learned from replies); when no answer comes within
 * {@code retryMillis} it goes to every node of the group, which answer from their reply cache or
 * forward it to the leader, and after that ever less often (exponential backoff). Clients know
 * nothing of which nodes are alive.
 */
public final class ClientSession {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClientSession.class);
    /** {@code timing}: when it was last sent, and how long to wait before sending it again. */
    private record Pending(Request request, int group, CompletableFuture<Result> result, long[] timing) {}

    /** The nodes of a group, by 1-based group number. */
    public interface Groups {
        List<String> group(int g);
    }

    private final EventLoop loop;
    private final Transport transport;
    private final Groups groups;
    private final long retryMillis;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<Integer, String> leaderHint = new ConcurrentHashMap<>();
    private volatile Consumer<PaxosMsg.Notice> notices = n -> { };

    /** Starts the retry timer; call on (or before starting) the loop. */
    public ClientSession(EventLoop loop, Transport transport, Groups groups, long retryMillis) {
        this.loop = loop;
        this.transport = transport;
        this.groups = groups;
        this.retryMillis = retryMillis;
        loop.execute(() -> loop.schedule(retryMillis, this::retry));
    }

    /** Where news for these clients (a lock granted to a waiter) goes; loop thread. */
    public void onNotice(Consumer<PaxosMsg.Notice> handler) {
        this.notices = handler;
    }

    /** Submits {@code op} as request {@code seq} of {@code client} to group {@code g}; any thread. */
    public CompletableFuture<Result> submit(String client, long seq, Op op, int g) {
        Request r = new Request(client, seq, op);
        Pending p = new Pending(r, g, new CompletableFuture<>(), new long[] {EventLoop.nowMillis(), retryMillis});
        pending.put(client, p);
        loop.execute(() -> {
            String to = leaderHint.getOrDefault(g, groups.group(g).get(0));
            if (!transport.send(to, new PaxosMsg.ClientRequest(r))) {
                broadcast(p);
            }
        });
        return p.result();
    }

    /** The node a client of group {@code g} believes leads it, or null. */
    public String leader(int g) {
        return leaderHint.get(g);
    }

    private void broadcast(Pending p) {
        p.timing()[0] = EventLoop.nowMillis();
        for (String id : groups.group(p.group())) {
            transport.send(id, new PaxosMsg.ClientRequest(p.request()));
        }
    }

    private void retry() {
        long now = EventLoop.nowMillis();
        for (Pending p : pending.values()) {
            if (!p.result().isDone() && now - p.timing()[0] >= p.timing()[1]) {
                // Unanswered: forget the leader, ask everyone, and wait longer next time (up to
                // 8x), so a group without a majority is not flooded by its clients.
                String was = leaderHint.remove(p.group());
                LOG.info("{}'s request {}: no answer within {} ms (leader believed: {}); sending it to every node",
                        p.request().client(), p.request().seq(), p.timing()[1], was);
                broadcast(p);
                p.timing()[1] = Math.min(8 * retryMillis, 2 * p.timing()[1]);
            }
        }
        loop.schedule(Math.max(1, retryMillis / 3), this::retry);
    }

    /** Takes a reply or notice off the wire; returns false for anything else. Loop thread. */
    public boolean onMessage(PaxosMsg m) {
        if (m instanceof PaxosMsg.ClientReply r) {
            Pending p = pending.get(r.client());
            if (p != null && p.request().seq() == r.seq()) {
                if (r.leader() != null) {
                    leaderHint.put(p.group(), r.leader());
                }
                pending.remove(r.client(), p);
                p.result().complete(r.result());
            }
            return true;
        }
        if (m instanceof PaxosMsg.Notice n) {
            notices.accept(n);
            return true;
        }
        return false;
    }
}
