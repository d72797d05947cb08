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
    /** A request in flight, and its timers; the timers are touched on the loop thread only. */
    private static final class Pending {
        final Request request;
        final int group;
        final CompletableFuture<Result> result;
        /** How many groups answered that another holds the item (a move), before this one. */
        final int redirects;
        /** When it was last sent, and how long to wait for an answer before sending it again. */
        long sentAt;
        long waitMillis;
        /** How many times it met a busy item (a 2PC lock) so far, and whether a resend for that is due. */
        long busyAnswers;
        boolean busyResendDue;

        Pending(Request request, int group, long retryMillis) {
            this(request, group, retryMillis, new CompletableFuture<>(), 0);
        }

        Pending(Request request, int group, long retryMillis, CompletableFuture<Result> result, int redirects) {
            this.request = request;
            this.group = group;
            this.result = result;
            this.redirects = redirects;
            this.sentAt = EventLoop.nowMillis();
            this.waitMillis = retryMillis;
        }

        Request request() {
            return request;
        }

        int group() {
            return group;
        }

        CompletableFuture<Result> result() {
            return result;
        }
    }

    /**
     * How many times a request follows "another group holds the item" before that answer is final:
     * each hop follows a committed move, so more than this means the item moved back and forth
     * while the request chased it.
     */
    public static final int REDIRECTS_MAX = 4;

    /** The longest wait before retrying a request that met a locked item. */
    private static final long BUSY_BACKOFF_MAX_MILLIS = 200;
    /** Busy answers resent so far, over every request (read by a benchmark from its own thread). */
    private final java.util.concurrent.atomic.AtomicLong busyRetries = new java.util.concurrent.atomic.AtomicLong();

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
    /** Jitters busy retries, so two clients that collided on a lock do not collide again; loop thread only. */
    private final java.util.Random jitter = new java.util.Random(535);
    private volatile Consumer<PaxosMsg.Notice> notices = n -> { };
    /**
     * "client lock" for each lock a client of this session was told it waits for: its grant is still
     * due, and is delivered once, by whichever comes first, a notice or the release that names it
     * (when the releaser is a client of this session too). Every replica the waiter reached sends
     * the notice, and the releaser may be anyone. Loop thread only.
     */
    private final java.util.Set<String> waiting = new java.util.HashSet<>();
    /** "client lock" to the token of the grant last delivered by a notice, so its release does not repeat it. */
    private final Map<String, Long> noticed = new java.util.HashMap<>();
    /**
     * Grants that came before the answer "waits" to the client's Lock, still unanswered (the answer
     * was lost and a retry's comes from a reply cache): delivered right after that answer.
     */
    private final Map<String, PaxosMsg.Notice> early = new java.util.HashMap<>();

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
        Pending p = new Pending(r, g, retryMillis);
        pending.put(client, p);
        loop.execute(() -> {
            String to = leaderHint.getOrDefault(g, groups.group(g).get(0));
            if (!transport.send(to, new PaxosMsg.ClientRequest(r))) {
                broadcast(p);
            }
        });
        return p.result();
    }

    /**
     * Forgets every request and leader hint: their futures complete exceptionally, so no timer or
     * busy retry sends them again (the cluster they were for is gone). Loop thread.
     */
    public void clear() {
        List<Pending> all = List.copyOf(pending.values());
        pending.clear();
        leaderHint.clear();
        waiting.clear();
        noticed.clear();
        early.clear();
        all.forEach(p -> p.result().completeExceptionally(
                new java.util.concurrent.CancellationException("the cluster was stopped")));
    }

    /** The node a client of group {@code g} believes leads it, or null. */
    /** How many resends a locked item (a busy answer) has caused so far, over every request. */
    public long busyRetries() {
        return busyRetries.get();
    }

    public String leader(int g) {
        return leaderHint.get(g);
    }

    private void broadcast(Pending p) {
        p.sentAt = EventLoop.nowMillis();
        for (String id : groups.group(p.group())) {
            transport.send(id, new PaxosMsg.ClientRequest(p.request()));
        }
    }

    private void retry() {
        long now = EventLoop.nowMillis();
        for (Pending p : pending.values()) {
            if (!p.result().isDone() && now - p.sentAt >= p.waitMillis) {
                // Unanswered: forget the leader, ask everyone, and wait longer next time (up to
                // 8x), so a group without a majority is not flooded by its clients.
                String was = leaderHint.remove(p.group());
                LOG.info("{}'s request {}: no answer within {} ms (leader believed: {}); sending it to every node",
                        p.request().client(), p.request().seq(), p.waitMillis, was);
                broadcast(p);
                p.waitMillis = Math.min(8 * retryMillis, 2 * p.waitMillis);
            }
        }
        loop.schedule(Math.max(1, retryMillis / 3), this::retry);
    }

    /**
     * The request met an item locked by a transaction in progress and changed nothing: send it
     * again, same number, after a jittered exponential backoff (no-wait locking: a conflict never
     * waits on a lock, so two transactions can never wait for each other).
     */
    private void retryBusy(Pending p, Result.Busy b) {
        if (p.busyResendDue) {
            return; // every replica the client reached answers busy: one resend for all of them
        }
        p.busyResendDue = true;
        busyRetries.incrementAndGet();
        long n = ++p.busyAnswers;
        long cap = Math.min(BUSY_BACKOFF_MAX_MILLIS, 2L << Math.min(n, 20));
        long delay = 1 + jitter.nextInt((int) cap);
        p.sentAt = EventLoop.nowMillis() + delay; // the unanswered-request timer starts from the resend
        LOG.debug("{}'s request {} is busy ({}), retry {} in {} ms", p.request().client(), p.request().seq(),
                b.reason(), n, delay);
        loop.schedule(delay, () -> {
            p.busyResendDue = false;
            if (!p.result().isDone()) {
                String to = leaderHint.getOrDefault(p.group(), groups.group(p.group()).get(0));
                if (!transport.send(to, new PaxosMsg.ClientRequest(p.request()))) {
                    broadcast(p);
                }
            }
        });
    }

    /**
     * The group asked says group {@code e.group()} holds the item now (resharding moved it): sends
     * the same request, same number, there. Exactly once still: the group asked recorded its answer
     * and will never execute this number, and a client's numbers grow across all groups, so the new
     * group has not seen it. False (the answer is final) for a group this session does not know,
     * the group asked itself, or after {@link #REDIRECTS_MAX} hops.
     */
    private boolean redirect(Pending p, Result.Elsewhere e) {
        if (e.group() == p.group() || e.group() < 1 || p.redirects >= REDIRECTS_MAX
                || groups.group(e.group()).isEmpty()) {
            return false;
        }
        Pending next = new Pending(p.request(), e.group(), retryMillis, p.result(), p.redirects + 1);
        if (!pending.replace(p.request().client(), p, next)) {
            return true; // forgotten meanwhile (the cluster was stopped)
        }
        String to = leaderHint.getOrDefault(next.group(), groups.group(next.group()).get(0));
        if (!transport.send(to, new PaxosMsg.ClientRequest(next.request()))) {
            broadcast(next);
        }
        return true;
    }

    private static String key(String client, String lock) {
        return client + " " + lock;
    }

    /**
     * Notes what {@code result} of {@code request} says of grants: a lock to wait for, or a release
     * that hands a lock to a waiter. The release keeps naming the waiter's grant unless a notice
     * delivered that grant already (then it is a bare release), so the grant is said once.
     */
    private Result grants(Request request, Result result) {
        if (request.op() instanceof Op.Lock && result instanceof Result.Waiting w) {
            waiting.add(key(request.client(), w.lock()));
        } else if (result instanceof Result.Released rel && rel.grantedTo() != null) {
            String k = key(rel.grantedTo(), rel.lock());
            if (Long.valueOf(rel.token()).equals(noticed.get(k))) {
                noticed.remove(k);
                return new Result.Released(rel.lock());
            }
            waiting.remove(k);
        }
        return result;
    }

    /** Takes a reply or notice from node {@code from} off the wire; returns false for anything else. Loop thread. */
    public boolean onMessage(String from, PaxosMsg m) {
        if (m instanceof PaxosMsg.ClientReply r) {
            Pending p = r.client() == null ? null : pending.get(r.client()); // a refusal of a request that named nobody
            if (p != null && p.request().seq() == r.seq()) {
                if (!groups.group(p.group()).contains(from)) {
                    // a client's request numbers are its own per group: the same (client, seq) may have
                    // gone to another group before, and that group's late answer is not this one's
                    return true;
                }
                if (r.leader() != null) {
                    leaderHint.put(p.group(), r.leader());
                }
                if (r.result() instanceof Result.Busy b) {
                    retryBusy(p, b);
                    return true;
                }
                if (r.result() instanceof Result.Elsewhere e && redirect(p, e)) {
                    return true;
                }
                pending.remove(r.client(), p);
                p.result().complete(grants(p.request(), r.result()));
                PaxosMsg.Notice due = p.request().op() instanceof Op.Lock l ? early.remove(key(r.client(), l.lock())) : null;
                if (due != null && r.result() instanceof Result.Waiting) {
                    onMessage(from, due);
                }
            }
            return true;
        }
        if (m instanceof PaxosMsg.Notice n) {
            Pending asking = n.client() == null ? null : pending.get(n.client());
            if (n.result() instanceof Result.Acquired a && waiting.remove(key(n.client(), a.lock()))) {
                noticed.put(key(n.client(), a.lock()), a.token());
                notices.accept(n);
            } else if (n.result() instanceof Result.Acquired a && asking != null
                    && asking.request().op() instanceof Op.Lock l && l.lock().equals(a.lock())) {
                early.put(key(n.client(), a.lock()), n);
            } else {
                LOG.debug("dropped {}: no client here is still waiting for it (another replica's copy)", n);
            }
            return true;
        }
        return false;
    }
}
