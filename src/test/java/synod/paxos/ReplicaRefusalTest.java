package synod.paxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import synod.app.Op;
import synod.app.Result;
import synod.app.Services;
import synod.app.StateMachine;
import synod.core.Check;
import synod.core.Envelope;
import synod.core.Output;

/**
 * Whatever a decided slot holds, applying it never throws out of the replica: a log entry that
 * killed a replica would kill every replica, and again at every restart while it replays (the
 * poison pill). What cannot be applied is a refusal, the same on every replica.
 */
class ReplicaRefusalTest {
    final Services services = new Services();
    final Replica r = new Replica(services);

    Output decide(long slot, Request... requests) {
        Output out = new Output();
        r.onDecide(slot, new Value(List.of(requests)), "n1", out);
        return out;
    }

    @Test
    void aRequestWithoutAnOpIsAnsweredWithARefusal() {
        r.attach("c", "addr");
        Output out = decide(0, new Request("c", 1, null), new Request("c", 2, new Op.Put("k", "v")));
        assertEquals(2, out.sends().size());
        assertEquals(new Envelope("addr", new PaxosMsg.ClientReply("c", 1, new Result.Aborted("no op"), "n1")),
                out.sends().get(0));
        assertEquals(1, r.slotOut());
        assertEquals("v", services.kv().get("k"), "the entries after it apply as usual");
    }

    @Test
    void aRequestWithoutAClientIsSkippedOnEveryReplica() {
        Output out = decide(0, new Request(null, 1, new Op.Lock("x")), new Request("d", 1, new Op.Lock("y")));
        assertEquals(1, r.slotOut());
        assertNull(services.locks().holder("x"), "nobody to hold it, nobody to answer");
        assertEquals("d", services.locks().holder("y"));
        assertEquals(List.of(), out.sends());
    }

    @Test
    void aPoisonedKeyIsARefusalAndTheLogGoesOn() {
        r.attach("c", "addr");
        Output out = decide(0, new Request("c", 1, new Op.Put(null, "v")), new Request("c", 2, new Op.Lock(null)));
        assertEquals(List.of(
                new Envelope("addr", new PaxosMsg.ClientReply("c", 1, new Result.Aborted("put: the key is missing"), "n1")),
                new Envelope("addr", new PaxosMsg.ClientReply("c", 2, new Result.Aborted("lock: the lock name is missing"),
                        "n1"))), out.sends());
        decide(1, new Request("c", 3, new Op.Put("k", "v")));
        assertEquals(2, r.slotOut());
    }

    /** A service that throws on some op: a bug in it must not become a poison pill in the log. */
    static final class Throwing implements StateMachine {
        RuntimeException next;

        @Override
        public Applied apply(String client, Op op) {
            if (next != null) {
                throw next;
            }
            return new Applied(new Result.Ok(), List.of());
        }

        @Override
        public JsonNode snapshot() {
            return JsonNodeFactory.instance.objectNode();
        }

        @Override
        public void restore(JsonNode snapshot) {}
    }

    @Test
    void anExceptionOutOfTheServiceIsARefusalButABrokenInvariantStillCrashes() {
        Throwing machine = new Throwing();
        Replica rep = new Replica(machine);
        rep.attach("c", "addr");
        machine.next = new NullPointerException("at 0x7f3a: details vary from run to run");
        Output out = new Output();
        rep.onDecide(0, new Value(List.of(new Request("c", 1, new Op.Lock("x")))), "n1", out);
        assertEquals(new PaxosMsg.ClientReply("c", 1,
                new Result.Aborted("cannot apply lock: NullPointerException"), "n1"), out.sends().get(0).message());
        assertEquals(1, rep.slotOut());
        machine.next = new Check.InvariantViolation("the service's own invariant");
        assertThrows(Check.InvariantViolation.class,
                () -> rep.onDecide(1, new Value(List.of(new Request("c", 2, new Op.Lock("x")))), "n1", new Output()));
    }
}
