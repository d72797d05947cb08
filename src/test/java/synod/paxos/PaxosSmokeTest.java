package synod.paxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import synod.app.LockTable;
import synod.app.Op;
import synod.app.Result;
import synod.core.Envelope;
import synod.core.Output;

/** Three nodes on a perfect network: a leader emerges and lock requests are decided in order. */
class PaxosSmokeTest {
    final List<String> ids = List.of("n1", "n2", "n3");
    final PaxosConfig cfg = PaxosConfig.of(ids);
    final Map<String, PaxosNode> nodes = new TreeMap<>();
    final ArrayDeque<Envelope> wire = new ArrayDeque<>();
    final ArrayDeque<String> senders = new ArrayDeque<>();
    final List<PaxosMsg> toClient = new ArrayList<>();

    PaxosSmokeTest() {
        Random r = new Random(7);
        for (String id : ids) {
            nodes.put(id, new PaxosNode(cfg, id, new LockTable(), new Random(r.nextLong())));
        }
    }

    void emit(String from, Output out) {
        for (Envelope e : out.sends()) {
            wire.add(e);
            senders.add(from);
        }
    }

    void deliverAll() {
        while (!wire.isEmpty()) {
            Envelope e = wire.poll();
            String from = senders.poll();
            if (e.to().equals("client")) {
                toClient.add((PaxosMsg) e.message());
            } else {
                emit(e.to(), nodes.get(e.to()).step(from, e.message()));
            }
        }
    }

    void tick(int n) {
        for (int i = 0; i < n; i++) {
            nodes.forEach((id, node) -> emit(id, node.tick()));
            deliverAll();
        }
    }

    String leader() {
        return nodes.values().stream().filter(PaxosNode::isLeader).map(PaxosNode::id).findFirst().orElse(null);
    }

    @Test
    void aLeaderEmergesAndLocksAreGrantedInOrder() {
        tick(100);
        String l = leader();
        assertTrue(l != null, "no leader after 100 ticks");
        String follower = ids.stream().filter(i -> !i.equals(l)).findFirst().get();
        emit(follower, nodes.get(follower).step("client", new PaxosMsg.ClientRequest(new Request("a", 1, new Op.Lock("0")))));
        deliverAll();
        emit(l, nodes.get(l).step("client", new PaxosMsg.ClientRequest(new Request("b", 1, new Op.Lock("0")))));
        deliverAll();
        emit(l, nodes.get(l).step("client", new PaxosMsg.ClientRequest(new Request("a", 2, new Op.Unlock("0")))));
        deliverAll();
        tick(20);
        List<Object> results = toClient.stream().map(m -> m instanceof PaxosMsg.ClientReply r ? (Object) (r.client() + r.seq() + ":" + r.result())
                : ((PaxosMsg.Notice) m).client() + ":" + ((PaxosMsg.Notice) m).result()).map(Object.class::cast).toList();
        assertTrue(results.contains("a1:" + new Result.Acquired("0", 1)), results.toString());
        assertTrue(results.contains("b1:" + new Result.Waiting("0")), results.toString());
        assertTrue(results.contains("a2:" + new Result.Released("0", "b", 2)), results.toString());
        assertTrue(results.contains("b:" + new Result.Acquired("0", 2)), results.toString());
        long out = nodes.get(l).replica().slotOut();
        nodes.values().forEach(n -> assertEquals(out, n.replica().slotOut(), n.id() + " applied a different prefix"));
        nodes.values().forEach(n -> assertEquals("b", ((LockTable) n.replica().machine()).holder("0")));
    }
}
