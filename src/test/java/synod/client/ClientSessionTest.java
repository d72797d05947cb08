package synod.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import synod.app.Op;
import synod.app.Result;
import synod.paxos.PaxosMsg;
import synod.runtime.EventLoop;

/**
 * How a client matches answers to its requests. The loop is never started: nothing is sent, and
 * the test hands the session its replies itself, as the loop would.
 */
class ClientSessionTest {
    private final EventLoop loop = new EventLoop("client-session-test");
    private final ClientSession session = new ClientSession(loop, null,
            g -> g == 1 ? List.of("n1", "n2", "n3") : List.of("n4", "n5", "n6"), 300);

    @Test
    void aLateAnswerFromAnotherGroupToTheSameRequestNumberIsNotThisRequestsAnswer() {
        // "opener" asked group 1 with request 1, then group 2 with its own request 1
        CompletableFuture<Result> toGroup2 = session.submit("opener", 1, new Op.Open(List.of("3001"), 10), 2);
        session.onMessage("n2", new PaxosMsg.ClientReply("opener", 1, new Result.Opened(3000), "n1"));
        assertFalse(toGroup2.isDone(), "group 1's duplicate answer must not complete group 2's request");
        assertNull(session.leader(2), "nor teach the client a leader of another group");
        session.onMessage("n5", new PaxosMsg.ClientReply("opener", 1, new Result.Opened(1), "n4"));
        assertTrue(toGroup2.isDone());
        assertEquals(new Result.Opened(1), toGroup2.join());
        assertEquals("n4", session.leader(2));
    }

    @Test
    void busyAnswersFromEveryReplicaScheduleOneResend() {
        CompletableFuture<Result> f = session.submit("c", 1, new Op.Transfer("1", "2", 1), 1);
        for (String n : List.of("n1", "n2", "n3")) {
            session.onMessage(n, new PaxosMsg.ClientReply("c", 1, new Result.Busy("1 is locked"), "n1"));
        }
        assertFalse(f.isDone(), "busy is never an answer");
        assertEquals(1, loop.scheduled(), "one resend for the three busy answers (and nothing else scheduled)");
    }
}
