package synod.runtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import synod.paxos.PaxosMsg;
import synod.paxos.PValue;

/**
 * A node's recent protocol messages, for PrintLog. Messages are kept as the immutable objects they
 * are and turned into text only when asked: rendering every message of a busy node (batches of
 * hundreds of requests) cost more than the protocol itself. The oldest go once 2,000 messages or
 * 20,000 carried requests are held, so a small heap is never filled by it.
 */
final class History {
    private record Entry(String direction, String peer, synod.core.Message message, int weight) {}

    private static final int MESSAGES_MAX = 2_000;
    private static final int WEIGHT_MAX = 20_000;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long weight = 0;

    void sent(String to, synod.core.Message m) {
        add(new Entry("send", to, m, weight(m)));
    }

    void received(String from, synod.core.Message m) {
        add(new Entry("recv", from, m, weight(m)));
    }

    private void add(Entry e) {
        entries.add(e);
        weight += e.weight();
        while (entries.size() > MESSAGES_MAX || (weight > WEIGHT_MAX && entries.size() > 1)) {
            weight -= entries.poll().weight();
        }
    }

    /** One line a message, oldest first: {@code send n2 ACCEPT (2,1) 7=[c1#3 (1, 3001, 4)]} ({@link LogLine}). */
    List<String> lines() {
        List<String> lines = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            lines.add(e.direction() + " " + e.peer() + " " + LogLine.of(e.message()));
        }
        return lines;
    }

    /** Roughly how much memory a message holds: one, plus the requests it carries. */
    private static int weight(synod.core.Message m) {
        if (m instanceof PaxosMsg.Accept a) {
            return 1 + requests(a.entries());
        }
        if (m instanceof PaxosMsg.NewView v) {
            return 1 + requests(v.entries());
        }
        if (m instanceof PaxosMsg.Promise p) {
            return 1 + requests(p.accepted());
        }
        if (m instanceof PaxosMsg.CatchUpReply r) {
            return 1 + requests(r.decided()) + (r.checkpoint() == null ? 0 : r.checkpoint().size());
        }
        if (m instanceof PaxosMsg.CheckpointPart p) {
            return 1 + p.data().length() / 64; // up to a frame of state: weighed as that much in small requests
        }
        if (m instanceof PaxosMsg.Decide d && d.value() != null) {
            return 1 + d.value().requests().size();
        }
        return 1;
    }

    private static int requests(List<PValue> pvs) {
        int n = 0;
        for (PValue pv : pvs) {
            n += pv.value().requests().size();
        }
        return n;
    }
}
