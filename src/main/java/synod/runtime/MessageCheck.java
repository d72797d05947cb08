package synod.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import synod.app.Result;
import synod.core.Message;
import synod.paxos.Ballot;
import synod.paxos.CheckpointParts;
import synod.paxos.PValue;
import synod.paxos.PaxosMsg;
import synod.paxos.Request;
import synod.paxos.WireSize;
import synod.snapshot.BankMsg;

/**
 * The edge: every message a frame decodes to is checked here, once, before any core sees it, so
 * cores meet only well-formed messages and nothing from outside can reach one of their assertions.
 * Checked: every field present (a record's fields are required unless {@link #NULLABLE} names
 * them), every string valid UTF-16 (no lone surrogate), ballots, slots and other numbers within
 * the ranges a correct node produces, and a client's request against the rules for clients.
 *
 * <p>A bad peer or master message is a {@link Bad}: the codec turns it into a
 * {@link FrameCodec.FrameException} and that connection is closed. A bad client request is not
 * closed on: it becomes a {@link BadRequest}, which the node answers with an error result and never
 * proposes. The rules for clients are an allow-list: an op type this class does not name (one the
 * nodes exchange among themselves, say) is refused from a client.
 *
 * <p>A request is checked once, where a client hands it in. Inside a peer's value (an Accept, a
 * promise, a decide, a catch-up) and inside a checkpoint's state only its presence is required:
 * what it holds is the services' business, and they refuse what they cannot apply (no core reads
 * its fields otherwise, and the log writes any string). A log written before this edge existed may
 * hold a poison pill every node accepted; a peer that refused the value a new leader re-proposes
 * would stop the group at that slot for good.
 */
public final class MessageCheck {
    /**
     * Rounds a correct node reaches: one more per election it starts, so 2^40 is some 35 years of
     * a thousand elections a second. Bounded so that {@code round + 1} can never overflow.
     */
    public static final long ROUND_MAX = 1L << 40;
    /** Slots a correct group reaches (2^48: nine years at a million slots a second), far from overflow. */
    public static final long SLOT_MAX = 1L << 48;
    /** The longest client or node id. */
    public static final int ID_CHARS_MAX = 64;
    /** Injected latency (SetDelay, the script's Delay), and its jitter, at most a minute: more is a typo. */
    public static final long DELAY_MICROS_MAX = 60_000_000;
    /** The most nodes a Reset's layout may name (a config names fewer; the node checks its own). */
    public static final int LAYOUT_NODES_MAX = 1000;
    /** The longest key, lock name or account name. */
    public static final int NAME_CHARS_MAX = 256;
    /** The highest group number a placement may name. */
    public static final int GROUPS_MAX = 1 << 10;
    /** The most parts a promise comes in. */
    public static final int PARTS_MAX = 1 << 20;
    /** The largest checkpoint a peer may send in parts: one that the log can hold as one record. */
    public static final long CHECKPOINT_BYTES_MAX = LogFormat.RECORD_BYTES_MAX;

    /** A peer message this node refuses: the connection that brought it is closed. */
    public static final class Bad extends Exception {
        public Bad(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * A client request the edge refuses, in place of it: the node answers {@code client} (null if
     * it has none, or one that cannot be written back) with {@code reason} and never proposes it.
     * Not a wire type.
     */
    public record BadRequest(String client, long seq, String reason) implements Message {}

    /** Fields that may be null, by record: everything else is required. */
    private static final Map<Class<?>, Set<String>> NULLABLE = Map.of(
            PaxosMsg.Decide.class, Set.of("value"),
            PaxosMsg.CatchUpReply.class, Set.of("checkpoint"),
            PaxosMsg.ClientReply.class, Set.of("client", "leader"),
            Result.Released.class, Set.of("grantedTo"),
            Control.CrashAt.class, Set.of("point", "claim"),
            BankMsg.Done.class, Set.of("line", "error"),
            BankMsg.Report.class, Set.of("state"),
            // a yes vote has no refusal; a commit, no reason; a participant's decision, no outcome
            synod.txn.TxnMsg.Vote.class, Set.of("refusal"),
            synod.txn.Outcome.class, Set.of("reason"),
            synod.txn.TxnEntry.Decide.class, Set.of("outcome"));

    private record Field(String name, MethodHandle get, boolean nullable) {}

    private static final Map<Class<?>, List<Field>> FIELDS = new ConcurrentHashMap<>();

    private final int ballotNodeMax;
    private final int requestBytesMax;

    /**
     * For frames of at most {@code frameBytesMax} (a request must leave room for the messages that
     * carry it: {@link WireSize#requestBudget}) and groups of at most {@code ballotNodeMax} nodes (a
     * ballot's node is a 1-based index in its group).
     */
    public MessageCheck(int frameBytesMax, int ballotNodeMax) {
        if (ballotNodeMax < 1 || frameBytesMax < 2 * WireSize.ENVELOPE) {
            throw new IllegalArgumentException("frameBytesMax " + frameBytesMax + ", ballotNodeMax " + ballotNodeMax);
        }
        this.ballotNodeMax = ballotNodeMax;
        this.requestBytesMax = WireSize.requestBudget(frameBytesMax);
    }

    /** For processes that are not Paxos nodes: any group size a config can describe. */
    public static MessageCheck lenient(int frameBytesMax) {
        return new MessageCheck(Math.max(frameBytesMax, 2 * WireSize.ENVELOPE), 1 << 16);
    }

    /** {@code m} if it is well-formed; a {@link BadRequest} in place of a bad client request. */
    public Message check(Message m) throws Bad {
        if (m instanceof PaxosMsg.ClientRequest c) {
            String why = ClientRules.problem(c.request());
            int max = why == null ? requestBytesMax(c.request()) : requestBytesMax;
            if (why == null && WireSize.request(c.request()) > max) {
                why = "the request takes " + WireSize.request(c.request()) + " bytes, more than the "
                        + max + " a request " + (max < requestBytesMax ? "of a transaction " : "") + "may take";
            }
            if (why == null) {
                return m;
            }
            Request r = c.request();
            String client = r == null ? null : ClientRules.echo(r.client());
            return new BadRequest(client, r == null ? 0 : r.seq(), "bad request: " + why);
        }
        try {
            walk(m);
            rules(m);
        } catch (Bad e) {
            throw new Bad(m.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return m;
    }

    /** The most bytes {@code r} may take: a transaction leaves room for the 2PC entry that carries its steps. */
    private int requestBytesMax(Request r) {
        return r.op() instanceof synod.app.Op.KvTxn ? requestBytesMax - WireSize.TXN_ENTRY_WRAP : requestBytesMax;
    }

    /** The most bytes a request of {@code op} may take on frames of {@code frameBytesMax}: what a client checks before sending. */
    public static int requestBytesMax(int frameBytesMax, synod.app.Op op) {
        int max = WireSize.requestBudget(frameBytesMax);
        return op instanceof synod.app.Op.KvTxn ? max - WireSize.TXN_ENTRY_WRAP : max;
    }

    // ---- the rules of each message, beyond its fields being present and its strings valid ----

    private void rules(Message m) throws Bad {
        if (m instanceof PaxosMsg pm) {
            paxos(pm);
        } else if (m instanceof Control.Hello h) {
            id(h.from(), "from");
            range(h.port(), -1, 65535, "port");
        } else if (m instanceof Control.AuthHello h) {
            id(h.from(), "from");
            range(h.port(), -1, 65535, "port");
        } else if (m instanceof Control.AuthChallenge c) {
            id(c.from(), "from");
        } else if (m instanceof Control.Connect c) {
            id(c.peer(), "peer");
            range(c.port(), 0, 65535, "port");
        } else if (m instanceof Control.Stamp st) {
            stamp(st);
        } else if (m instanceof Control.Linked l) {
            id(l.peer(), "peer");
        } else if (m instanceof Control.SetLive s) {
            for (String id : s.live()) {
                id(id, "live");
            }
        } else if (m instanceof Control.SetDropRate d) {
            if (!(d.rate() >= 0 && d.rate() <= 1)) { // NaN fails both
                throw new Bad("rate " + d.rate() + " is not a probability");
            }
        } else if (m instanceof Control.SetDelay d) {
            range(d.delayMicros(), 0, DELAY_MICROS_MAX, "delayMicros");
            range(d.jitterMicros(), 0, DELAY_MICROS_MAX, "jitterMicros");
        } else if (m instanceof Control.Reset r) {
            range(r.groups(), 1, LAYOUT_NODES_MAX, "groups");
            range(r.replicas(), 1, LAYOUT_NODES_MAX, "replicas");
            range((long) r.groups() * r.replicas(), 1, LAYOUT_NODES_MAX, "groups x replicas");
        }
    }

    /** A trace stamp: an event id "node:count" and a clock of at most STAMP_NODES_MAX nodes' counts. */
    private static void stamp(Control.Stamp s) throws Bad {
        int colon = s.event().lastIndexOf(':');
        if (colon < 1 || !s.event().substring(colon + 1).matches("[0-9]{1,18}")) {
            throw new Bad("event '" + s.event() + "' is not node:count");
        }
        if (s.clock().size() > STAMP_NODES_MAX) {
            throw new Bad("a clock of " + s.clock().size() + " nodes, more than " + STAMP_NODES_MAX);
        }
        for (Map.Entry<String, Long> e : s.clock().entrySet()) {
            id(e.getKey(), "clock");
            if (e.getValue() < 0) {
                throw new Bad("clock " + e.getKey() + " is negative");
            }
        }
    }

    private static final int STAMP_NODES_MAX = 4096;

    private void paxos(PaxosMsg m) throws Bad {
        if (m instanceof PaxosMsg.Prepare p) {
            slot(p.fromSlot(), "fromSlot");
        } else if (m instanceof PaxosMsg.Promise p) {
            slot(p.fromSlot(), "fromSlot");
            slot(p.checkpointSlot(), "checkpointSlot");
            range(p.parts(), 1, PARTS_MAX, "parts");
            range(p.part(), 0, p.parts() - 1, "part");
        } else if (m instanceof PaxosMsg.CheckpointPart c) {
            slot(c.slot(), "slot");
            range(c.total(), 1, CHECKPOINT_BYTES_MAX, "total");
            range(c.offset(), 0, c.total() - 1, "offset");
        } else if (m instanceof PaxosMsg.NewView v) {
            slot(v.fromSlot(), "fromSlot");
        } else if (m instanceof PaxosMsg.Accepted a) {
            for (long s : a.slots()) {
                slot(s, "slot");
            }
        } else if (m instanceof PaxosMsg.Decide d) {
            slot(d.slot(), "slot");
        } else if (m instanceof PaxosMsg.Heartbeat h) {
            slot(h.commitSlot(), "commitSlot");
        } else if (m instanceof PaxosMsg.CatchUp c) {
            slot(c.fromSlot(), "fromSlot");
        } else if (m instanceof PaxosMsg.CatchUpReply r) {
            slot(r.fromSlot(), "fromSlot");
            slot(r.checkpointSlot(), "checkpointSlot");
            String why = r.checkpoint() == null ? null : CheckpointParts.problem(r.checkpoint());
            if (why != null) {
                throw new Bad(why);
            }
        }
    }

    /** Rules for a value wherever it appears in a message. */
    private void value(Object v) throws Bad {
        if (v instanceof Ballot b) {
            boolean zero = b.round() == 0 && b.node() == 0;
            if (!zero && (b.round() < 1 || b.round() >= ROUND_MAX || b.node() < 1 || b.node() > ballotNodeMax)) {
                throw new Bad("ballot " + b + " is not one a node of at most " + ballotNodeMax + " makes");
            }
        } else if (v instanceof PValue pv) {
            slot(pv.slot(), "slot");
        }
    }

    private static void slot(long s, String what) throws Bad {
        if (s < 0 || s > SLOT_MAX) {
            throw new Bad(what + " " + s + " is outside 0.." + SLOT_MAX);
        }
    }

    private static void range(long v, long lo, long hi, String what) throws Bad {
        if (v < lo || v > hi) {
            throw new Bad(what + " " + v + " is outside " + lo + ".." + hi);
        }
    }

    private static void id(String id, String what) throws Bad {
        String why = ClientRules.text(id, ID_CHARS_MAX, what);
        if (why == null && id.isEmpty()) {
            why = "the " + what + " is empty";
        }
        if (why != null) {
            throw new Bad(why);
        }
    }

    // ---- fields present, strings valid: for every record, by its components ----

    private void walk(Object v) throws Bad {
        if (v instanceof String s) {
            int at = ClientRules.loneSurrogate(s);
            if (at >= 0) {
                throw new Bad("a string is not valid UTF-16 (a lone surrogate at char " + at + ")");
            }
        } else if (v instanceof Request) {
            return; // what a request inside a value holds is not the protocol's business: see the class comment
        } else if (v instanceof Record r) {
            for (Field f : fields(r.getClass())) {
                Object x;
                try {
                    x = f.get().invoke(r);
                } catch (Throwable t) {
                    throw new IllegalStateException("cannot read " + r.getClass().getSimpleName() + "." + f.name(), t);
                }
                if (x == null) {
                    if (!f.nullable()) {
                        throw new Bad(r.getClass().getSimpleName() + "." + f.name() + " is missing");
                    }
                } else {
                    walk(x);
                }
            }
            value(r);
        } else if (v instanceof List<?> list) {
            for (Object x : list) {
                if (x == null) {
                    throw new Bad("a list holds a null");
                }
                walk(x);
            }
        } else if (v instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    throw new Bad("a map holds a null");
                }
                walk(e.getKey());
                walk(e.getValue());
            }
        }
    }

    private static List<Field> fields(Class<?> c) {
        return FIELDS.computeIfAbsent(c, k -> {
            List<Field> fs = new ArrayList<>();
            Set<String> nullable = NULLABLE.getOrDefault(k, Set.of());
            for (RecordComponent rc : k.getRecordComponents()) {
                if (rc.getType().isPrimitive()) {
                    continue; // never null; its range, where it matters, is a rule above
                }
                try {
                    MethodHandle get = MethodHandles.publicLookup().unreflect(rc.getAccessor());
                    fs.add(new Field(rc.getName(), get.asType(get.type().changeReturnType(Object.class)
                            .changeParameterType(0, Object.class)), nullable.contains(rc.getName())));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("a message record must be public: " + k, e);
                }
            }
            return List.copyOf(fs);
        });
    }
}
