package synod.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import synod.sim.BankTruth.Channel;
import synod.snapshot.BankMsg;
import synod.snapshot.BankMsg.Begin;
import synod.snapshot.BankMsg.Collect;
import synod.snapshot.BankMsg.Done;
import synod.snapshot.BankMsg.Report;
import synod.snapshot.BankMsg.SendMoney;
import synod.snapshot.BankMsg.Take;

/**
 * The master of a simulated CS380D bank: issues one command at a time through
 * {@link BankSimulator} and waits for its reply, exactly as {@link synod.master.BankRunner} does:
 * random sends (some beyond the balance), takes from non-empty channels, snapshots begun at random
 * moments (sometimes over an unfinished one, or a second initiator of the same one), refusals,
 * lone collects, and drains followed by a collect from every node, whose complete snapshots
 * {@link BankTruth} checks whole.
 *
 * <p>Invariant: its mirror of channel depths, kept only from {@code Done.pushed} and successful
 * takes as BankRunner keeps it, equals the nodes' queues after every reply; and once every channel
 * is drained the latest snapshot is complete.
 */
final class BankDriver {

    /** What one run did; {@code fingerprint} hashes every delivered packet, for the determinism test. */
    record Stats(int nodes, long events, long commands, long completedSnapshots, long errSends,
                 long staleMarkers, long supersededWhileOpen, long secondInitiators, long fingerprint) {}

    private final BankSimulator sim;
    private final Random random;
    private final BankTruth truth;
    private final Map<Channel, Integer> depth = new TreeMap<>();
    private long seq = 0;
    private long snapshot = 0;
    private long completed = 0;
    private long secondInitiators = 0;

    BankDriver(long seed) {
        sim = new BankSimulator(seed);
        random = sim.random();
        truth = sim.truth();
        for (String id : truth.nodes()) {
            truth.peers(id).forEach(p -> depth.put(new Channel(p, id), 0));
        }
    }

    BankSimulator sim() {
        return sim;
    }

    /** Runs 100..299 random commands, then one last snapshot that must complete once drained. */
    Stats run() {
        int count = 100 + random.nextInt(200);
        for (int i = 0; i < count; i++) {
            randomCommand();
        }
        begin(randomNode(), ++snapshot);
        drain();
        collectAll(true);
        return new Stats(truth.nodes().size(), sim.events(), sim.commands(), completed, sim.errSends(),
                truth.staleMarkers, truth.supersededWhileOpen, secondInitiators, sim.fingerprint());
    }

    private void randomCommand() {
        int roll = random.nextInt(100);
        if (roll < 36) {
            sendMoney();
        } else if (roll < 72) {
            if (!takeSome()) {
                sendMoney();
            }
        } else if (roll < 78) {
            begin(randomNode(), ++snapshot);
        } else if (roll < 80) {
            beginAgain();
        } else if (roll < 85) {
            // Older ids too: a node that has moved on must report nothing for them.
            command(randomNode(), new Collect(++seq, snapshot == 0 ? 0 : 1 + random.nextInt((int) snapshot)));
        } else if (roll < 89) {
            takeEmpty();
        } else if (roll < 91) {
            badSend();
        } else if (roll < 95) {
            drain();
            collectAll(true);
        } else {
            collectAll(false);
        }
    }

    private void sendMoney() {
        String from = randomNode();
        long balance = truth.balance(from);
        // One send in ten asks for more than there is: the ERR_SEND refusal.
        long amount = random.nextInt(10) == 0 ? balance + 1 + random.nextInt(100) : random.nextInt((int) balance + 1);
        command(from, new SendMoney(++seq, randomPeer(from), amount));
    }

    private boolean takeSome() {
        List<Channel> ready = ready();
        if (ready.isEmpty()) {
            return false;
        }
        Channel ch = ready.get(random.nextInt(ready.size()));
        command(ch.to(), new Take(++seq, ch.from()));
        return true;
    }

    /** A take the node must refuse with an error value: an empty channel, or one that does not exist. */
    private void takeEmpty() {
        List<Channel> empty = new ArrayList<>();
        depth.forEach((ch, d) -> {
            if (d == 0) {
                empty.add(ch);
            }
        });
        if (empty.isEmpty() || random.nextBoolean()) {
            command(randomNode(), new Take(++seq, "x"));
        } else {
            Channel ch = empty.get(random.nextInt(empty.size()));
            command(ch.to(), new Take(++seq, ch.from()));
        }
    }

    /** A send the node must refuse with an error value: to nobody, to itself, or a negative amount. */
    private void badSend() {
        String from = randomNode();
        int kind = random.nextInt(3);
        String to = kind == 0 ? "x" : kind == 1 ? from : randomPeer(from);
        command(from, new SendMoney(++seq, to, kind == 2 ? -1 - random.nextInt(5) : 1));
    }

    private void begin(String node, long snap) {
        command(node, new Begin(++seq, snap));
    }

    /** The latest snapshot again at another node: a second initiator, or "not new" if it recorded. */
    private void beginAgain() {
        if (snapshot == 0) {
            begin(randomNode(), ++snapshot);
            return;
        }
        Done d = (Done) command(randomNode(), new Begin(++seq, snapshot));
        if (d.error() == null) {
            secondInitiators++;
        }
    }

    /** Takes from random non-empty channels until every channel is empty, as ReceiveAll does. */
    private void drain() {
        for (List<Channel> ready = ready(); !ready.isEmpty(); ready = ready()) {
            Channel ch = ready.get(random.nextInt(ready.size()));
            command(ch.to(), new Take(++seq, ch.from()));
        }
    }

    /** Collects the latest snapshot from every node and, when it is complete, checks it whole. */
    private void collectAll(boolean drained) {
        Map<String, Report> reports = new TreeMap<>();
        boolean whole = true;
        for (String node : truth.nodes()) {
            Report r = (Report) command(node, new Collect(++seq, snapshot));
            reports.put(node, r);
            whole &= r.state() != null && r.open().isEmpty();
        }
        Sim.expect(whole == truth.complete(snapshot), "snapshot %d reported %s but the truth says %s",
                snapshot, whole ? "complete" : "incomplete", whole ? "incomplete" : "complete");
        // Every recording node sends markers to all, so once all is drained the latest must be whole.
        Sim.expect(!drained || snapshot == 0 || whole, "snapshot %d incomplete after draining every channel", snapshot);
        if (whole) {
            truth.checkCompleted(snapshot, reports);
            completed++;
        }
    }

    /** One command, then the mirror update BankRunner does, checked against the real queues. */
    private BankMsg command(String node, BankMsg cmd) {
        BankMsg reply = sim.command(node, cmd);
        if (reply instanceof Done d) {
            d.pushed().forEach(p -> depth.merge(new Channel(node, p), 1, Integer::sum));
            if (cmd instanceof Take t && d.error() == null) {
                depth.merge(new Channel(t.from(), node), -1, Integer::sum);
            }
        }
        depth.forEach((ch, d) -> Sim.expect(d == sim.queued(ch),
                "driver counts %d on %s, the node holds %d", d, ch, sim.queued(ch)));
        return reply;
    }

    private List<Channel> ready() {
        List<Channel> ready = new ArrayList<>();
        depth.forEach((ch, d) -> {
            if (d > 0) {
                ready.add(ch);
            }
        });
        return ready;
    }

    private String randomNode() {
        List<String> ids = truth.nodes();
        return ids.get(random.nextInt(ids.size()));
    }

    private String randomPeer(String node) {
        List<String> peers = truth.peers(node);
        return peers.get(random.nextInt(peers.size()));
    }
}
