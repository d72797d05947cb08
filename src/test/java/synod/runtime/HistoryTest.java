package synod.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import synod.app.Op;
import synod.paxos.Ballot;
import synod.paxos.PValue;
import synod.paxos.PaxosMsg;
import synod.paxos.Request;
import synod.paxos.Value;

class HistoryTest {
    private static final Ballot B = new Ballot(1, 1);

    private static PaxosMsg.Accept batch(long slot, int requests) {
        List<Request> rs = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            rs.add(new Request("c" + i, slot, new Op.Lock("x")));
        }
        return new PaxosMsg.Accept(B, List.of(new PValue(B, slot, new Value(rs))));
    }

    @Test
    void linesReadAsPrintLogShowsThemOldestFirst() {
        History h = new History();
        h.received("n2", new PaxosMsg.Prepare(B, 0));
        h.sent("n2", new PaxosMsg.Nack(B, new Ballot(2, 2)));
        assertEquals(List.of("recv n2 PREPARE (1,1) from slot 0", "send n2 NACK (1,1), promised (2,2)"), h.lines());
    }

    @Test
    void keepsTheLatestTwoThousandSmallMessages() {
        History h = new History();
        for (int i = 0; i < 2_500; i++) {
            h.sent("n2", new PaxosMsg.CatchUp(i));
        }
        List<String> lines = h.lines();
        assertEquals(2_000, lines.size());
        assertEquals("send n2 CATCH-UP from slot 500", lines.get(0));
        assertEquals("send n2 CATCH-UP from slot 2499", lines.get(1_999));
    }

    @Test
    void bigBatchesAreBoundedByTheRequestsTheyCarry() {
        History h = new History();
        for (int slot = 0; slot < 200; slot++) {
            h.sent("n2", batch(slot, 256)); // 51,200 requests in all
        }
        List<String> lines = h.lines();
        assertTrue(lines.size() <= 20_000 / 257 + 1, "held " + lines.size() + " batches of 256 requests");
        assertTrue(lines.get(lines.size() - 1).contains(" 199=["), "the newest is kept");
    }
}
