package synod.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import synod.app.Op;
import synod.paxos.Ballot;
import synod.paxos.PValue;
import synod.paxos.PaxosMsg;
import synod.paxos.Request;
import synod.paxos.Value;
import synod.txn.TxnEntry;
import synod.txn.TxnOp;

/** PrintLog's lines: the papers' message names, transfers as (S, R, AMT), 2PC steps marked P, C or A. */
class LogLineTest {
    private static final Ballot B = new Ballot(2, 1);

    private static PValue entry(long slot, Request... rs) {
        return new PValue(B, slot, new Value(List.of(rs)));
    }

    @Test
    void anAcceptShowsItsBallotSlotsAndRequestsInTheCoursesNotation() {
        PaxosMsg.Accept a = new PaxosMsg.Accept(B, List.of(
                entry(7, new Request("1", 3, new Op.Transfer("1", "3001", 4))),
                entry(8, new Request("#2pc", 1, new Op.Txn(new TxnEntry.Prepare("1.4", List.of(new TxnOp.Credit("3001", 4)), 0))))));
        assertEquals("ACCEPT (2,1) 7=[1#3 (1, 3001, 4)] 8=[#2pc#1 2PC P 1.4 [3001 +4]]", LogLine.of(a));
    }

    @Test
    void decisionsOfTwoPhaseCommitAreMarkedCommitOrAbort() {
        Request commit = new Request("#2pc", 2, new Op.Txn(new TxnEntry.Decide("1.4", true, null, 0)));
        Request abort = new Request("#2pc", 3, new Op.Txn(new TxnEntry.Decide("1.5", false, null, 0)));
        String line = LogLine.of(new PaxosMsg.Decide(9, new Value(List.of(commit, abort))));
        assertEquals("DECIDE 9=[#2pc#2 2PC C 1.4, #2pc#3 2PC A 1.5]", line);
    }

    @Test
    void eachPaxosMessageNamesItselfAsThePapersDo() {
        assertEquals("PREPARE (2,1) from slot 4", LogLine.of(new PaxosMsg.Prepare(B, 4)));
        assertEquals("PROMISE (2,1) from slot 4, accepted 5=no-op", LogLine.of(new PaxosMsg.Promise(B, 4,
                List.of(new PValue(B, 5, Value.NOOP)), 0, 0, 1)));
        assertEquals("NACK (2,1), promised (3,2)", LogLine.of(new PaxosMsg.Nack(B, new Ballot(3, 2))));
        assertEquals("ACCEPTED (2,1) slots [7, 8]", LogLine.of(new PaxosMsg.Accepted(B, List.of(7L, 8L))));
        assertEquals("DECIDE 7 (the value it accepted)", LogLine.of(new PaxosMsg.Decide(7, null)));
        assertEquals("HEARTBEAT (2,1) decided up to 9", LogLine.of(new PaxosMsg.Heartbeat(B, 9)));
        assertEquals("NEW-VIEW (2,1) from slot 0 (no entries)", LogLine.of(new PaxosMsg.NewView(B, 0, List.of())));
        assertEquals("REQUEST c1#1 (A)", LogLine.of(new PaxosMsg.ClientRequest(new Request("c1", 1, new Op.Balance("A")))));
    }

    @Test
    void aLargeBatchShowsItsFirstRequestsAndCountsTheRest() {
        List<Request> rs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rs.add(new Request("c" + i, 1, new Op.Lock("L")));
        }
        String line = LogLine.of(new PaxosMsg.Accept(B, List.of(new PValue(B, 3, new Value(rs)))));
        assertEquals("ACCEPT (2,1) 3=[c0#1 lock L, c1#1 lock L, c2#1 lock L, c3#1 lock L, c4#1 lock L, c5#1 lock L,"
                + " c6#1 lock L, c7#1 lock L and 12 more]", line);
    }
}
