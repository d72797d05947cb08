package synod.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import synod.app.Op;
import synod.app.Result;
import synod.core.Message;
import synod.paxos.PaxosMsg;
import synod.runtime.EventLoop;
import synod.runtime.FrameCodec;
import synod.runtime.Transport;

/**
 * A node answers a request its edge refused; when the request named no client it could write back,
 * the answer names none, and a client must take that in its stride (it crashed the master's loop).
 * A refusal of a request of its own completes that request.
 */
class ClientRefusalReplyTest {
    @Test
    void aRefusalThatNamesNoClientIsDroppedAndOneThatNamesItsClientCompletesItsRequest() throws Exception {
        EventLoop loop = new EventLoop("client-test");
        try {
            Transport t = new Transport(loop, new FrameCodec(1 << 16), "master", (String from, Message m) -> { },
                    Transport.Settings.DEFAULT);
            ClientSession s = new ClientSession(loop, t, g -> List.of("n1"), 10_000);
            CompletableFuture<Result> f = s.submit("#c", 1, new Op.Get("k"), 1);
            assertTrue(s.onMessage("n1", new PaxosMsg.ClientReply(null, 1, new Result.Aborted("bad request: x"), null)));
            Result.Aborted refused = new Result.Aborted("bad request: client ids starting with '#' ...");
            assertTrue(s.onMessage("n1", new PaxosMsg.ClientReply("#c", 1, refused, "n1")));
            assertEquals(refused, f.getNow(null));
        } finally {
            loop.close();
        }
    }
}
