package synod.master;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import synod.app.Op;
import synod.app.Result;
import synod.runtime.ClusterConfig;
import synod.runtime.EventLoop;

/**
 * One set of a CSE535 Project 3 file on a freshly flushed cluster. Each client (the sender S of
 * {@code (S, R, AMT)} and {@code (S)}) has one request in flight and sends its next one, in file
 * order, when the previous is decided; the clients run concurrently. A barrier row (F(n), R(n),
 * LF) first waits until every request before it that can be decided is decided, then fails or
 * recovers the node, then releases the rows after it.
 *
 * <p>"Can be decided" is what the master knows of its own doing: a request is in flight at its
 * group's leader, and a group decides nothing while fewer than a majority of its nodes are running
 * and live. Such a request, and those its client queued behind it, are not waited for; still
 * undecided when the set ends, they are reported aborted, and the set's FLUSH destroys them.
 * Waiting is bounded: a decidable request that makes no progress for requestMillis is reported on
 * stderr and no longer waited for.
 */
final class SetRun {
    private static final Logger LOG = LoggerFactory.getLogger(SetRun.class);

    private static final class Txn {
        final CsvScript.Item item;
        final int group;
        /** Guarded by the SetRun: set once, when decided before the set ended. */
        Result result;
        boolean sent;
        long sentNanos;

        Txn(CsvScript.Item item, int group) {
            this.item = item;
            this.group = group;
        }
    }

    private final PaxosCluster cluster;
    private final ClusterConfig cfg;
    private final BankRunner.Diagnostics diag;
    private final Performance performance;
    private final Map<String, Long> seqs;
    /** The set's Live Nodes, and every node recovered by R since. */
    private final List<String> live;
    private final List<Txn> all = new ArrayList<>();
    /** Guarded by this: per client, its released requests not yet sent, and the one in flight. */
    private final Map<String, ArrayDeque<Txn>> waiting = new HashMap<>();
    private final Map<String, Txn> inFlight = new HashMap<>();
    private boolean closed;
    private long decided;

    SetRun(PaxosCluster cluster, ClusterConfig cfg, BankRunner.Diagnostics diag, Performance performance,
           Map<String, Long> seqs, List<String> live) {
        this.cluster = cluster;
        this.cfg = cfg;
        this.diag = diag;
        this.performance = performance;
        this.seqs = seqs;
        this.live = new ArrayList<>(live);
    }

    /** Runs the set's rows; returns when every decidable request is decided (or the bound ran out). */
    void run(List<CsvScript.Item> items) {
        List<Txn> segment = new ArrayList<>();
        int lastLine = 0;
        for (CsvScript.Item i : items) {
            lastLine = i.line();
            if (i.barrier()) {
                release(segment);
                segment.clear();
                settle();
                barrier(i);
            } else {
                Txn t = new Txn(i, cluster.groupOfItem(i.from()));
                all.add(t);
                segment.add(t);
            }
        }
        release(segment);
        settle();
        synchronized (this) {
            closed = true;
        }
        LOG.info("set ending at line {}: {} of {} requests decided", lastLine, decided, all.size());
    }

    /** The result lines, in file order: decided ones as they were decided, the others aborted with why. */
    synchronized List<String> results() {
        List<String> lines = new ArrayList<>();
        for (Txn t : all) {
            if (t.result != null) {
                lines.add(ShardedCsvRunner.line(t.item, t.result));
                continue;
            }
            String why;
            if (!t.sent) {
                why = "queued behind an undecided request of " + t.item.from();
            } else if (!cluster.hasMajority(t.group)) {
                why = "group " + t.group + " has no majority";
            } else {
                why = "not decided when the set ended";
                diag.warning(t.item.line(), t.item.text() + " was not decided before the set ended");
            }
            lines.add(t.item.text() + " aborted: " + why);
        }
        return lines;
    }

    private synchronized void release(List<Txn> segment) {
        for (Txn t : segment) {
            waiting.computeIfAbsent(t.item.from(), c -> new ArrayDeque<>()).add(t);
        }
        for (Txn t : segment) {
            pump(t.item.from());
        }
    }

    /** Sends {@code client}'s next request if it has none in flight. */
    private synchronized void pump(String client) {
        if (closed || inFlight.containsKey(client)) {
            return;
        }
        ArrayDeque<Txn> q = waiting.get(client);
        Txn t = q == null ? null : q.poll();
        if (t == null) {
            return;
        }
        inFlight.put(client, t);
        t.sent = true;
        t.sentNanos = System.nanoTime();
        long seq = seqs.merge(client, 1L, Long::sum);
        CsvScript.Item i = t.item;
        Op op = i.kind() == CsvScript.Kind.READ ? new Op.Balance(i.from()) : new Op.Transfer(i.from(), i.to(), i.amount());
        cluster.submit(client, seq, op, t.group).whenComplete((r, e) -> decided(t, r, e));
    }

    /** Loop thread: {@code t}'s answer (or the exception of a cluster stopped under it). */
    private void decided(Txn t, Result r, Throwable e) {
        if (e != null) {
            return;
        }
        performance.record(t.sentNanos, System.nanoTime());
        Progress.done();
        synchronized (this) {
            if (closed) {
                LOG.warn("{} (line {}) was decided after its set ended: {}", t.item.text(), t.item.line(), r);
                return;
            }
            t.result = r;
            decided++;
            inFlight.remove(t.item.from());
            pump(t.item.from());
            notifyAll();
        }
    }

    /**
     * Waits until no request in flight can still be decided: each either is decided or sits at a
     * group without a majority. A request queued behind one is sent only once that one is decided,
     * so it is covered when it is sent. Bounded by requestMillis without any request decided.
     */
    private synchronized void settle() {
        long seen = decided;
        long lastProgress = EventLoop.nowMillis();
        while (true) {
            Txn open = null;
            for (Txn t : inFlight.values()) {
                if (cluster.hasMajority(t.group)) {
                    open = t;
                    break;
                }
            }
            if (open == null) {
                return;
            }
            if (decided != seen) {
                seen = decided;
                lastProgress = EventLoop.nowMillis();
            }
            long left = lastProgress + cfg.requestMillis() - EventLoop.nowMillis();
            if (left <= 0) {
                diag.warning(open.item.line(), open.item.text() + " not decided within " + cfg.requestMillis()
                        + " ms although group " + open.group + " has a majority; going on");
                return;
            }
            try {
                wait(Math.min(left, 50));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** F(n): kill -9. R(n): restart if down, make live, wait (bounded) for its group to agree. LF: kill group 1's leader. */
    private void barrier(CsvScript.Item i) {
        try {
            switch (i.kind()) {
                case FAIL -> {
                    requireNode(i);
                    cluster.kill(i.node());
                }
                case RECOVER -> {
                    requireNode(i);
                    if (!live.contains(i.node())) {
                        live.add(i.node());
                    }
                    cluster.setLive(live); // before the restart, so its Hello is answered with the live set
                    if (!cluster.running(i.node())) {
                        cluster.spawn(i.node());
                        cluster.awaitHello(i.node());
                    }
                    cluster.settle(cluster.groupOf(i.node()), cfg.requestMillis());
                }
                case LEADER_FAILS -> {
                    String leader = cluster.awaitLeader(1, cfg.requestMillis());
                    if (leader == null) {
                        diag.error(i.line(), "LF: group 1 has no leader to fail");
                    } else {
                        cluster.kill(leader);
                    }
                }
                default -> throw new IllegalArgumentException("not a barrier: " + i);
            }
        } catch (BankCluster.ClusterException e) {
            diag.error(i.line(), i.text() + ": " + e.getMessage());
        }
    }

    private void requireNode(CsvScript.Item i) throws BankCluster.ClusterException {
        int k = ClusterConfig.number(i.node());
        if (k < 1 || k > cluster.groups() * cluster.replicas()) {
            throw new BankCluster.ClusterException("no node " + i.node() + " in " + cluster.groups() + " groups of "
                    + cluster.replicas());
        }
    }
}
