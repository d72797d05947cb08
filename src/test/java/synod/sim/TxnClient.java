package synod.sim;

import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import synod.app.Op;
import synod.app.Result;
import synod.paxos.PaxosMsg;
import synod.paxos.Request;

/**
 * A bank client of a simulated sharded cluster, retrying the way {@link synod.client.ClientSession}
 * does, in ticks: one request at a time (closed loop), numbered so that retries execute once, sent to
 * its group's leader as last named in a reply (else the group's first node); unanswered within the
 * retry time, it goes to every node of the group and the retry time doubles (up to 8 times); a Busy
 * answer (an item locked by a transaction in progress) sends the same request again after a
 * jittered exponential backoff.
 *
 * <p>Checked on every answer: it is the one the chosen order gave ({@link TxnTruth}). The client
 * keeps the transfers it was told committed: once quiet, every balance must be the opening balance
 * moved by exactly those.
 */
final class TxnClient {
    /** The longest wait, in ticks, before a Busy request is sent again. */
    private static final int BUSY_BACKOFF_MAX_TICKS = 20;

    /** Sends a request from this client to a node. */
    interface Net {
        void send(String from, String to, PaxosMsg m);
    }

    /** What the client asks next (null: nothing now), and which group it asks. */
    interface Ops {
        Op next(Random random);

        int groupOf(Op op);
    }

    final String id;
    private final Random random;
    private final List<List<String>> groups;
    private final Ops ops;
    private final TxnTruth truth;
    private final int retryTicks;
    private final TreeMap<Integer, String> leaderHint = new TreeMap<>();
    private long seq = 0;
    private Request outstanding;
    private int group;
    private long now;
    private long sentAt;
    private long waitTicks;
    /** When a Busy request goes again; 0 when none waits. */
    private long busyResendAt;
    private int busyCount;
    /** How many groups said another holds the outstanding request's item (a move took it). */
    private int redirectCount;
    /** The transfers this client was told committed, oldest first. */
    final List<Op.Transfer> committed = new java.util.ArrayList<>();
    long completed;
    long retries;
    long busyRetries;
    long redirects;
    /** A redirect is sent on the client's next act (a reply arrives without the network to send on). */
    private boolean pendingSend;

    TxnClient(String id, Random random, List<List<String>> groups, Ops ops, TxnTruth truth, int retryTicks) {
        this.id = id;
        this.random = random;
        this.groups = groups;
        this.ops = ops;
        this.truth = truth;
        this.retryTicks = retryTicks;
    }

    boolean idle() {
        return outstanding == null;
    }

    /** Issues the next request (when idle and {@code issue}), or resends the outstanding one. */
    void act(long now, boolean issue, Net net) {
        this.now = now;
        if (outstanding == null) {
            Op op = issue ? ops.next(random) : null;
            if (op != null) {
                outstanding = new Request(id, ++seq, op);
                group = ops.groupOf(op);
                waitTicks = retryTicks;
                busyCount = 0;
                redirectCount = 0;
                sendToLeader(net);
            }
        } else if (pendingSend) {
            pendingSend = false;
            sendToLeader(net);
        } else if (busyResendAt != 0) {
            if (now >= busyResendAt) {
                busyResendAt = 0;
                sendToLeader(net);
            }
        } else if (now - sentAt >= waitTicks) {
            // Unanswered: forget the leader, ask everyone, and wait longer next time, so a group
            // without a majority is not flooded by its clients.
            retries++;
            leaderHint.remove(group);
            sentAt = now;
            waitTicks = Math.min(8L * retryTicks, 2 * waitTicks);
            for (String n : groups.get(group - 1)) {
                net.send(id, n, new PaxosMsg.ClientRequest(outstanding));
            }
        }
    }

    private void sendToLeader(Net net) {
        sentAt = now;
        net.send(id, leaderHint.getOrDefault(group, groups.get(group - 1).get(0)),
                new PaxosMsg.ClientRequest(outstanding));
    }

    void onReply(String from, PaxosMsg.ClientReply r) {
        Sim.expect(r.client().equals(id), "%s got %s's reply", id, r.client());
        if (outstanding == null || r.seq() != outstanding.seq() || !groups.get(group - 1).contains(from)) {
            // another request's, or the group this one left: its late answer is not this group's
            return; // an answer to a retry of a request already answered
        }
        truth.checkReply(id + " hears", id, r.seq(), r.result());
        if (r.leader() != null) {
            leaderHint.put(group, r.leader());
        }
        if (r.result() instanceof Result.Busy) {
            if (busyResendAt == 0) {
                // No-wait locking: never wait on a lock, come back later (jittered, so two clients
                // that collided do not collide again). The unanswered timer starts from the resend.
                busyRetries++;
                int cap = (int) Math.min(BUSY_BACKOFF_MAX_TICKS, 2L << Math.min(++busyCount, 20));
                busyResendAt = now + 1 + random.nextInt(cap);
                sentAt = busyResendAt;
            }
            return;
        }
        if (r.result() instanceof Result.Elsewhere e && e.group() != group && e.group() >= 1
                && e.group() <= groups.size() && redirectCount < synod.client.ClientSession.REDIRECTS_MAX) {
            // as ClientSession does: the same request, same number, to the group that holds the item now
            redirectCount++;
            redirects++;
            group = e.group();
            waitTicks = retryTicks;
            busyResendAt = 0;
            pendingSend = true;
            return;
        }
        if (r.result() instanceof Result.Committed && outstanding.op() instanceof Op.Transfer t) {
            committed.add(t);
        }
        outstanding = null;
        busyResendAt = 0;
        completed++;
    }

    @Override
    public String toString() {
        return id + (outstanding == null ? " idle" : " waits for " + outstanding.seq() + " " + outstanding.op()
                + " to group " + group + " since " + sentAt + (busyResendAt == 0 ? "" : ", busy until " + busyResendAt));
    }
}
