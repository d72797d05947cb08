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

    /** Delivered grants, as the session hands them on. */
    private final List<String> granted = new java.util.ArrayList<>();

    private void waitFor(String client, long seq, String lock) {
        session.onNotice(n -> granted.add(n.client() + " " + n.result()));
        session.submit(client, seq, new Op.Lock(lock), 1);
        session.onMessage("n2", new PaxosMsg.ClientReply(client, seq, new Result.Waiting(lock), "n1"));
    }

    @Test
    void aWaitersGrantFromEveryReplicaItReachedIsDeliveredOnce() {
        waitFor("alice", 1, "0");
        // alice's request reached every node (a retry), so each one notifies her of the grant
        for (String n : List.of("n1", "n2", "n3")) {
            session.onMessage(n, new PaxosMsg.Notice("alice", new Result.Acquired("0", 3)));
        }
        assertEquals(List.of("alice " + new Result.Acquired("0", 3)), granted);
    }

    @Test
    void aGrantNoticedBeforeTheReleaseOfAClientHereIsNotRepeatedByTheRelease() {
        waitFor("c2", 1, "7");
        CompletableFuture<Result> unlock = session.submit("c1", 1, new Op.Unlock("7"), 1);
        session.onMessage("n3", new PaxosMsg.Notice("c2", new Result.Acquired("7", 2)));
        session.onMessage("n1", new PaxosMsg.ClientReply("c1", 1, new Result.Released("7", "c2", 2), "n1"));
        assertEquals(List.of("c2 " + new Result.Acquired("7", 2)), granted);
        assertEquals(new Result.Released("7"), unlock.join(), "the release must not say the grant again");
    }

    @Test
    void aGrantCarriedByTheReleaseOfAClientHereIsNotRepeatedByANotice() {
        waitFor("c2", 1, "7");
        CompletableFuture<Result> unlock = session.submit("c1", 1, new Op.Unlock("7"), 1);
        session.onMessage("n1", new PaxosMsg.ClientReply("c1", 1, new Result.Released("7", "c2", 2), "n1"));
        session.onMessage("n1", new PaxosMsg.Notice("c2", new Result.Acquired("7", 2)));
        assertEquals(new Result.Released("7", "c2", 2), unlock.join());
        assertEquals(List.of(), granted, "the release said it; the notice is a second copy");
    }

    @Test
    void aGrantThatOvertakesTheAnswerWaitsIsDeliveredRightAfterIt() {
        session.onNotice(n -> granted.add(n.client() + " " + n.result()));
        CompletableFuture<Result> lock = session.submit("c2", 1, new Op.Lock("7"), 1);
        session.onMessage("n3", new PaxosMsg.Notice("c2", new Result.Acquired("7", 2)));
        assertEquals(List.of(), granted, "not before the client has heard it waits");
        session.onMessage("n1", new PaxosMsg.ClientReply("c2", 1, new Result.Waiting("7"), "n1"));
        assertEquals(new Result.Waiting("7"), lock.join());
        assertEquals(List.of("c2 " + new Result.Acquired("7", 2)), granted);
        session.onMessage("n1", new PaxosMsg.Notice("c2", new Result.Acquired("7", 2)));
        assertEquals(1, granted.size(), "another replica's copy");
    }
}
