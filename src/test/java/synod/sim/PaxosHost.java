package synod.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import synod.core.Check;
import synod.core.Envelope;
import synod.core.Message;
import synod.core.Output;
import synod.paxos.Ballot;
import synod.paxos.Durable;
import synod.paxos.PValue;
import synod.paxos.PaxosMsg;
import synod.paxos.PaxosNode;

/**
 * The simulated runtime around one {@link PaxosNode}: its log, and the runtime's contract over each
 * step's {@link Output}, records appended (or the log replaced, atomically, by a rewrite) and forced
 * before any send leaves, unless a crash cuts the step ({@link Crash}). A restart builds a new core
 * that recovers from the log read back through JSON, as from the disk.
 *
 * <p>Checked here: every durable acceptance is a vote in the group's {@link ChosenLog}; a replica's slotOut only
 * grows in a life and its state equals the truth's after the same prefix; a restarted acceptor still
 * holds every promise and acceptance its messages told anyone about.
 */
final class PaxosHost {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How a crash cuts a step; NONE when it does not. */
    enum Crash {
        NONE,
        /** Before anything reached the disk: the step never happened. */
        LOST,
        /** During the force: a prefix of the step's records is on disk, the last of them maybe torn off. */
        TORN,
        /** After the force, before the sends: records durable, messages lost. */
        PERSISTED,
        /** After the whole step. */
        AFTER_SEND
    }

    /** Builds a fresh core (service, and 2PC if any, wired) from a seed for its Random; it then recovers from the log. */
    interface Boot {
        PaxosNode core(long seed);
    }

    final String id;
    private final Boot boot;
    private final ChosenLog truth;
    private PaxosNode core;
    private List<Durable> disk = new ArrayList<>();
    private long slotOut;
    private long downUntil;
    /** The highest ballot this node's Promise or Accepted messages told anyone it promised. */
    private Ballot told = Ballot.ZERO;
    /** Per slot, the highest ballot at which this node told a leader it accepted. */
    private final TreeMap<Long, Ballot> acked = new TreeMap<>();
    private long tornWrites = 0;

    PaxosHost(String id, Boot boot, ChosenLog truth) {
        this.id = id;
        this.boot = boot;
        this.truth = truth;
    }

    /** The running core, or null while the node is down. */
    PaxosNode core() {
        return core;
    }

    boolean up() {
        return core != null;
    }

    long downUntil() {
        return downUntil;
    }

    long tornWrites() {
        return tornWrites;
    }

    /** Loses everything in memory; the node may restart at {@code downUntil}. */
    void crash(long downUntil) {
        core = null;
        this.downUntil = downUntil;
    }

    /** Builds the core anew from the log, read back as from the disk. */
    void start(long coreSeed) {
        core = boot.core(coreSeed);
        core.recover(readBack(disk));
        checkDurable();
        slotOut = core.replica().slotOut();
        truth.checkReplica(id, core.replica(), slotOut);
    }

    private static List<Durable> readBack(List<Durable> disk) {
        List<Durable> back = new ArrayList<>(disk.size());
        try {
            for (Durable d : disk) {
                back.add(JSON.readValue(JSON.writerFor(Durable.class).writeValueAsString(d), Durable.class));
            }
        } catch (JsonProcessingException e) {
            throw new Sim.SimFailure("a log record does not survive JSON: " + e);
        }
        return back;
    }

    private void checkDurable() {
        Ballot promised = core.acceptor().promised();
        Sim.expect(promised.atLeast(told), "%s recovered promising %s, but had told others it promised %s",
                id, promised, told);
        long forgotten = core.acceptor().forgottenBelow();
        acked.forEach((slot, b) -> {
            PValue pv = core.acceptor().accepted(slot);
            Sim.expect(slot < forgotten || (pv != null && pv.ballot().atLeast(b)),
                    "%s recovered with %s in slot %d, but had told a leader it accepted it at %s", id, pv, slot, b);
        });
    }

    /** Stands for "the runtime's round ended" where a step names who sent what. */
    static final String END_OF_ROUND = "end-of-round";

    /** One step of the core: a tick when {@code m} is null, the end of a round when {@code from} is {@link #END_OF_ROUND}. */
    Output step(String from, Message m) {
        try {
            if (m == null) {
                return END_OF_ROUND.equals(from) ? core.endOfRound() : core.tick();
            }
            return core.step(from, m);
        } catch (Check.InvariantViolation e) {
            throw new Sim.SimFailure(id + " broke an invariant: " + e.getMessage());
        }
    }

    /**
     * Plays the runtime's rules over a step's output, cut by {@code crash}: returns the messages that
     * leave the node. Early messages leave before the force, so a crash in or after it may have let
     * them out (a coin decides); the others leave only if the force completed and the crash, if any,
     * came after the sends.
     */
    List<Envelope> complete(Output out, Crash crash, Random random) {
        List<Envelope> early = crash == Crash.LOST || (crash != Crash.NONE && crash != Crash.AFTER_SEND && random.nextBoolean())
                ? List.of() : out.earlySends();
        persist(out, crash, random);
        if (crash != Crash.NONE && crash != Crash.AFTER_SEND) {
            return early;
        }
        for (Envelope e : out.sends()) {
            if (e.message() instanceof PaxosMsg.Promise p && p.ballot().above(told)) {
                told = p.ballot();
            } else if (e.message() instanceof PaxosMsg.Accepted a) {
                if (a.ballot().above(told)) {
                    told = a.ballot();
                }
                a.slots().forEach(s -> acked.merge(s, a.ballot(), (x, y) -> x.atLeast(y) ? x : y));
            }
        }
        long before = slotOut;
        slotOut = core.replica().slotOut();
        if (slotOut != before) {
            Sim.expect(slotOut > before, "%s's slotOut went back from %d to %d", id, before, slotOut);
            truth.checkReplica(id, core.replica(), before);
        }
        List<Envelope> all = new java.util.ArrayList<>(early);
        all.addAll(out.sends());
        return all;
    }

    /** The log as the step left it: all records, a torn prefix of them, or (a rewrite being atomic) old or new. */
    private void persist(Output out, Crash crash, Random random) {
        List<Object> records = out.records();
        int keep = records.size();
        if (crash == Crash.LOST) {
            keep = 0;
        } else if (crash == Crash.TORN && keep > 0) {
            keep = out.rewriting() ? (random.nextBoolean() ? keep : 0) : random.nextInt(keep);
            tornWrites++;
        }
        if (keep == 0) {
            return;
        }
        if (out.rewriting()) {
            disk = new ArrayList<>();
        }
        for (Object r : records.subList(0, keep)) {
            Sim.expect(r instanceof Durable, "%s persisted %s, which is no Durable record", id, r);
            disk.add((Durable) r);
            if (r instanceof Durable.Accepted a) {
                truth.accepted(id, a.pvalue());
            }
        }
    }
}
