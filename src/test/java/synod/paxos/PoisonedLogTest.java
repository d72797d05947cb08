package synod.paxos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import synod.app.Op;
import synod.app.Result;

/**
 * Logs written before the edge existed may hold the poison pills a harness fed in (a put without a
 * key, a request without an op), accepted by every node. Such a group, started again, must decide
 * them (the services refuse what they cannot apply) and go on: a peer's edge that refused the
 * value a new leader re-proposes would stop the group at that slot for good.
 */
class PoisonedLogTest {
    static final List<String> THREE = List.of("n1", "n2", "n3");

    @Test
    void aGroupWhoseLogsHoldPoisonPillsDecidesThemAsRefusalsAndGoesOn() {
        Ballot b = new Ballot(1, 1);
        Value poison = new Value(List.of(new Request("c", 1, new Op.Put(null, "v")), new Request("c", 2, null),
                new Request(null, 1, new Op.Lock("x")), new Request("c", 3, new Op.Put("k\ud800", "v\udc00"))));
        List<Durable> log = List.of(new Durable.Promised(b), new Durable.Accepted(new PValue(b, 0, poison)));
        WireGroup g = new WireGroup(PaxosConfig.of(THREE), Map.of("n1", log, "n2", log, "n3", log));
        String leader = g.awaitLeader();
        g.tick(50);
        for (String n : THREE) {
            assertEquals(1, g.node(n).replica().slotOut(), n + " decided and applied the poisoned slot");
            assertEquals(new Replica.Executed(3, new Result.Ok()), g.node(n).replica().executed("c"));
        }
        assertEquals(new Result.Ok(), g.request(leader, "d", 1, new Op.Put("after", "yes")));
        g.tick(20);
        for (String n : THREE) {
            assertEquals("yes", g.services(n).kv().get("after"));
        }
    }
}
