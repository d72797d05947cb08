package synod.master;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import synod.core.Envelope;
import synod.core.Message;
import synod.snapshot.BankMsg;
import synod.snapshot.BankNode;

/**
 * {@link BankCluster} over {@link BankNode} cores in this JVM: every message is delivered at once,
 * in order, until the command's reply comes back. Deterministic; no threads, sockets or clock.
 */
public final class InProcessCluster implements BankCluster {
    private final Map<String, BankNode> nodes = new TreeMap<>();
    private long seq = 0;

    @Override
    public void createNodes(List<NewNode> fresh, List<String> peers) throws ClusterException {
        for (NewNode n : fresh) {
            if (nodes.containsKey(n.id())) {
                throw new ClusterException("node " + n.id() + " already exists");
            }
            BankNode node = new BankNode(n.id(), n.amount());
            for (String p : nodes.keySet()) {
                node.addPeer(p);
                nodes.get(p).addPeer(n.id());
            }
            nodes.put(n.id(), node);
        }
    }

    @Override
    public BankMsg.Done send(String from, String to, long amount) throws ClusterException {
        return (BankMsg.Done) call(from, new BankMsg.SendMoney(++seq, to, amount));
    }

    @Override
    public BankMsg.Done take(String to, String from) throws ClusterException {
        return (BankMsg.Done) call(to, new BankMsg.Take(++seq, from));
    }

    @Override
    public BankMsg.Done begin(String id, long snapshot) throws ClusterException {
        return (BankMsg.Done) call(id, new BankMsg.Begin(++seq, snapshot));
    }

    @Override
    public BankMsg.Report collect(String id, long snapshot) throws ClusterException {
        return (BankMsg.Report) call(id, new BankMsg.Collect(++seq, snapshot));
    }

    /** The live core of {@code id}, for tests that check balances directly. */
    public BankNode node(String id) {
        return nodes.get(id);
    }

    private Message call(String id, BankMsg command) throws ClusterException {
        if (!nodes.containsKey(id)) {
            throw new ClusterException("no node " + id);
        }
        ArrayDeque<Envelope> inFlight = new ArrayDeque<>();
        ArrayDeque<String> senders = new ArrayDeque<>();
        inFlight.add(new Envelope(id, command));
        senders.add(Envelope.MASTER);
        Message reply = null;
        while (!inFlight.isEmpty()) {
            Envelope e = inFlight.removeFirst();
            String sender = senders.removeFirst();
            if (e.to().equals(Envelope.MASTER)) {
                reply = e.message();
                continue;
            }
            for (Envelope next : nodes.get(e.to()).step(sender, e.message()).sends()) {
                inFlight.addLast(next);
                senders.addLast(e.to());
            }
        }
        if (reply == null) {
            throw new ClusterException("node " + id + " did not answer " + command);
        }
        return reply;
    }

    @Override
    public void close() {
        nodes.clear();
    }
}
