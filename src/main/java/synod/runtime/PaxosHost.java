package synod.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import synod.core.Envelope;
import synod.core.Message;
import synod.core.Output;
import synod.paxos.Durable;
import synod.paxos.PaxosMsg;
import synod.paxos.PaxosNode;

/**
 * Runs one {@link PaxosNode} core on the event loop: it replays the node's log at start, feeds the
 * core messages and ticks, and interprets each {@link Output} in the only safe order. Outputs of one
 * loop round are gathered, their records appended and forced with ONE fsync (group commit), and
 * their messages sent after it, except those that cannot depend on it: a leader's Accepts
 * ({@link Output#sendEarly}) and the messages of the round's steps before the first that persists
 * anything. It also plays the failure injector: cut-off nodes, message loss and crash points.
 *
 * <p>Invariant: no message leaves before every record of its step, and of every step before it, is
 * on disk (early sends excepted: they depend on no record of their step).
 */
public final class PaxosHost implements Transport.Listener {
    private static final ObjectMapper JSON = HotJson.registeredIn(new ObjectMapper());
    private final Logger log;
    private final PaxosNode node;
    private final FileLog disk;
    private final EventLoop loop;
    private final Transport transport;
    private final List<Output> round = new ArrayList<>();
    private final History history = new History();
    private final Set<String> live = new TreeSet<>();
    private final boolean exitWithMaster;
    /** A node started by hand has reached a master: it follows that master out as a spawned one does. */
    private boolean masterReached;
    private final List<String> group;
    private final Layout layout;
    private final int frameBytesMax;
    private Random lossRandom = new Random(0);
    private double dropRate = 0;
    /** Injected latency (SetDelay): messages to peers wait here, per link FIFO, in microseconds of the loop's clock. */
    private final synod.core.LinkDelay<Envelope> delayed = new synod.core.LinkDelay<>();
    private String crashAt;
    /** With CrashAt any: the file whose creation decides which node crashes; null otherwise. */
    private String crashClaim;
    /** Frozen by the master ({@link Control.Freeze}): the core is no longer stepped, nothing goes to a peer. */
    private boolean frozen;
    /** The longest a leader's queued requests wait for more (the linger; see {@link #scheduleLingerEnd}). */
    static final int LINGER_MILLIS = 1;
    private boolean lingerEndScheduled;
    /**
     * The layout a master's {@link Control.Reset} asked for (null: none yet): the loop stops and the
     * node's main starts afresh in it.
     */
    private volatile Layout resetLayout;

    public PaxosHost(PaxosNode node, List<String> group, FileLog disk, EventLoop loop, FrameCodec codec,
                     Transport.Settings settings, boolean exitWithMaster) {
        this(node, group, Layout.single(group), disk, loop, codec, settings, exitWithMaster);
    }

    /** {@code layout}: every group of the cluster, this node's {@code group} among them. */
    public PaxosHost(PaxosNode node, List<String> group, Layout layout, FileLog disk, EventLoop loop, FrameCodec codec,
                     Transport.Settings settings, boolean exitWithMaster) {
        this(node, group, layout, disk, loop, codec, settings, exitWithMaster, Auth.OFF);
    }

    /** {@code auth}: how this node's connections authenticate ({@link Auth#paxosNode}). */
    public PaxosHost(PaxosNode node, List<String> group, Layout layout, FileLog disk, EventLoop loop, FrameCodec codec,
                     Transport.Settings settings, boolean exitWithMaster, Auth auth) {
        this.group = List.copyOf(group);
        this.layout = layout;
        this.frameBytesMax = codec.frameBytesMax();
        this.log = LoggerFactory.getLogger("paxos." + node.id());
        this.node = node;
        this.disk = disk;
        this.loop = loop;
        this.exitWithMaster = exitWithMaster;
        this.transport = new Transport(loop, codec, node.id(), this, settings, auth);
    }

    /** The whole cluster: every group's members (for reaching other groups). */
    public Layout layout() {
        return layout;
    }

    /**
     * Decodes a node's log for {@link PaxosNode#recover}. A record that does not decode (an unknown
     * record type, say) passed its checksum, so it was written that way: it is {@link LogDamage}
     * naming the file, the line and what is wrong, and the node refuses to start.
     */
    public static List<Durable> decode(FileLog disk) throws LogDamage {
        List<String> lines = disk.recovered();
        List<Durable> records = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            try {
                records.add(decodeRecord(lines.get(i)));
            } catch (com.fasterxml.jackson.databind.exc.InvalidTypeIdException e) {
                throw disk.damage(i, e.getTypeId() == null ? "the record has no record type (field \"rec\")"
                        : "unknown record type '" + e.getTypeId() + "' (known: promised, accepted, checkpoint)");
            } catch (IOException e) {
                throw disk.damage(i, "the record is not a Paxos log record: " + (e instanceof
                        com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
            }
        }
        return records;
    }

    /** One log record, as {@link #decode} reads it. */
    static Durable decodeRecord(String json) throws IOException {
        return JSON.readValue(json, Durable.class);
    }

    /** Listens, dials the group and the master, and starts ticking; call before {@link EventLoop#start}. */
    public void start(InetSocketAddress me, List<InetSocketAddress> peers, List<String> peerIds,
                      InetSocketAddress master, int tickMillis) {
        loop.afterRound(this::flush);
        loop.execute(() -> {
            try {
                transport.listen(me.getHostString(), me.getPort());
            } catch (IOException e) {
                log.error("cannot listen on {}", me, e);
                System.err.println("node " + node.id() + ": cannot listen on " + me + ": " + e.getMessage());
                Runtime.getRuntime().halt(1);
            }
            for (int i = 0; i < peers.size(); i++) {
                transport.connect(peerIds.get(i), peers.get(i), true);
            }
            if (master != null) {
                transport.connect(Envelope.MASTER, master, !exitWithMaster);
            }
            tick(tickMillis);
        });
    }

    private void tick(int tickMillis) {
        if (frozen) {
            return; // and no more ticks: a frozen node is only waiting to be reset
        }
        round.add(node.tick());
        loop.schedule(tickMillis, () -> tick(tickMillis));
    }

    @Override
    public void onMessage(String from, Message m) {
        if (m instanceof Control c) {
            onControl(from, c);
        } else if (m instanceof MessageCheck.BadRequest b) {
            refuse(from, b);
        } else if (m instanceof PaxosMsg || m instanceof synod.txn.TxnMsg) {
            if (frozen) {
                return; // a client request on the master's link, after the Freeze: the cluster is being flushed
            }
            if (cutOff(from) || lost()) {
                Trace t = Trace.get();
                if (t != null) { // the transport recorded its arrival; this says the node ignored it
                    t.note("drop", m.getClass().getSimpleName(), "from", from, "why", cutOff(from) ? "cut off" : "lost");
                }
                return;
            }
            if (!(m instanceof PaxosMsg.Heartbeat)) {
                history.received(from, m); // heartbeats every 50 ms would drown PrintLog
            }
            round.add(node.step(from, m));
        } else {
            throw new synod.core.BadMessage("a Paxos node does not take " + m);
        }
    }

    /**
     * A client request the edge refused: answered with the reason, never proposed. A member only
     * forwards requests that passed its own edge, so one that sends a bad one is refused like any
     * bad peer message.
     */
    private void refuse(String from, MessageCheck.BadRequest b) {
        if (group.contains(from)) {
            throw new synod.core.BadMessage(from + " forwarded a request its edge should have refused: " + b.reason());
        }
        log.info("refused a request from {}: {}", from, b.reason());
        transport.send(from, new PaxosMsg.ClientReply(b.client(), b.seq(), new synod.app.Result.Aborted(b.reason()),
                node.leaderId()));
    }

    private void onControl(String from, Control c) {
        if (c instanceof Control.Hello) {
            return;
        }
        if (!from.equals(Envelope.MASTER)) {
            throw new synod.core.BadMessage(from + " may not send control messages");
        }
        if (c instanceof Control.SetLive s) {
            live.clear();
            live.addAll(s.live());
            Trace t = Trace.get();
            if (t != null) {
                t.note("cut", s.live().isEmpty() || s.live().contains(node.id()) ? "live set" : "cut off",
                        "live", s.live().isEmpty() ? "all" : String.join(",", s.live()));
            }
        } else if (c instanceof Control.SetDropRate d) {
            dropRate = d.rate();
            lossRandom = new Random(d.seed());
        } else if (c instanceof Control.SetDelay d) {
            delayed.set(d.delayMicros(), d.jitterMicros(), new Random(d.seed()));
        } else if (c instanceof Control.CrashAt ca) {
            crashAt = ca.point() == null || ca.point().isEmpty() ? null : ca.point(); // "" disarms
            crashClaim = ca.claim();
        } else if (c instanceof Control.Campaign) {
            round.add(node.campaign());
        } else if (c instanceof Control.Query q) {
            List<String> lines = NodeQueries.fit(NodeQueries.answer(node, group, history, q), frameBytesMax);
            transport.send(Envelope.MASTER, new Control.QueryReply(q.seq(), lines));
        } else if (c instanceof Control.Shutdown) {
            exit(0, "shutdown requested by the master");
        } else if (c instanceof Control.Freeze) {
            freeze();
            transport.send(Envelope.MASTER, new Control.Frozen());
        } else if (c instanceof Control.Reset r) {
            Layout next = Layout.of(r.groups(), r.replicas());
            if (next.groupOf(node.id()) == 0) {
                throw new synod.core.BadMessage("a reset to the layout " + next + ", which has no " + node.id());
            }
            freeze(); // (the master freezes every node first; a Reset alone is frozen here all the same)
            resetLayout = next;
            log.info("reset by the master: this incarnation ends; the node starts afresh on a wiped log");
            Trace t = Trace.get();
            if (t != null) { // the trace goes on: the new incarnation notes its start after this
                t.note("exit", "reset by the master (FLUSH)");
            }
            transport.close();
            loop.close(); // from the loop itself: it stops after this round, and the main thread goes on
        } else {
            throw new synod.core.BadMessage("unexpected control " + c);
        }
    }

    /**
     * Stops the protocol for good: what this round made is dropped unsent and unwritten (the node's
     * state is about to be wiped, as a FLUSH's kill -9 would lose it), no tick or message steps the
     * core again, and the transport forgets every peer, keeping only the master's link.
     */
    private void freeze() {
        if (frozen) {
            return;
        }
        frozen = true;
        round.clear();
        transport.isolate(Envelope.MASTER);
        log.info("frozen by the master: no peer is reached or heard any more");
    }

    /** Whether this incarnation ended because the master asked for a {@link Control.Reset}. */
    public boolean resetAsked() {
        return resetLayout != null;
    }

    /** The layout the next incarnation runs, as the master's Reset gave it (null before one). */
    public Layout resetLayout() {
        return resetLayout;
    }

    /** A node outside the live set neither sends to nor hears from the others (clients still reach it). */
    private boolean cutOff(String peer) {
        boolean isNode = ClusterConfig.number(peer) > 0 && peer.startsWith("n");
        return isNode && !live.isEmpty() && (!live.contains(peer) || !live.contains(node.id()));
    }

    private boolean lost() {
        return dropRate > 0 && lossRandom.nextDouble() < dropRate;
    }

    /**
     * Group commit: the round's early messages (a leader's Accepts) go on the wire; so do the
     * messages of the round's first steps, up to the first that persists anything, for every
     * record they or earlier steps made was forced by an earlier round (a leader's replies to its
     * clients need not wait for the force of the requests the same round proposes); then ONE force
     * for the rest of the round's records, then the rest of its messages.
     */
    private void flush() {
        if (frozen) {
            round.clear();
            return;
        }
        round.add(node.endOfRound());
        scheduleLingerEnd();
        if (round.stream().allMatch(Output::isEmpty)) {
            round.clear();
            return;
        }
        List<Output> outs = new ArrayList<>(round);
        round.clear();
        crashIf(outs, "after-receive-");
        for (Output o : outs) {
            send(o.earlySends());
        }
        int firstDurable = 0;
        while (firstDurable < outs.size() && outs.get(firstDurable).records().isEmpty()
                && !outs.get(firstDurable).rewriting()) {
            firstDurable++;
        }
        deliver(outs.subList(0, firstDurable));
        transport.flushQueued(); // on the wire while this node's disk works
        if (firstDurable < outs.size()) {
            persist(outs.subList(firstDurable, outs.size()));
            deliver(outs.subList(firstDurable, outs.size()));
        }
    }

    /**
     * The leader holds its queued requests a moment for those of the clients it just answered
     * ({@code Leader.proposeQueued}); this ends the wait after {@link #LINGER_MILLIS} at most, the
     * core's own bound (its next tick) being ten times longer. Requests arriving meanwhile end it
     * sooner: the loop's select returns for them and the round's end proposes them all.
     */
    private void scheduleLingerEnd() {
        if (!lingerEndScheduled && node.lingering()) {
            lingerEndScheduled = true;
            loop.schedule(LINGER_MILLIS, () -> {
                lingerEndScheduled = false;
                if (!frozen) {
                    round.add(node.endLinger());
                }
            });
        }
    }

    /** Sends the messages of {@code outs}, whose records are on disk, at their crash points. */
    private void deliver(List<Output> outs) {
        crashIf(outs, "after-persist-");
        crashIf(outs, "before-send-");
        for (Output o : outs) {
            send(o.sends());
        }
        crashIf(outs, "after-send-");
    }

    private void persist(List<Output> outs) {
        boolean wrote = false;
        try {
            for (Output o : outs) {
                List<byte[]> records = encodeBytes(o.records());
                if (o.rewriting()) {
                    disk.sync(); // FileLog rewrites only a synced log; the rewrite supersedes these anyway
                    disk.rewriteBytes(records);
                    wrote = false;
                } else {
                    records.forEach(disk::append);
                    wrote |= !records.isEmpty();
                }
                if (Trace.get() != null) {
                    tracePersist(asText(records));
                }
            }
            if (wrote) {
                disk.sync();
            }

        } catch (IOException | RuntimeException e) {
            log.error("cannot persist: a node that cannot fsync must stop", e);
            System.err.println("node " + node.id() + ": fatal: cannot persist: " + e);
            Runtime.getRuntime().halt(74);
        }
    }

    /** Tracing: each record written (its log line: its type, ballot, slot or transaction first); forced just after. */
    private static void tracePersist(List<String> lines) {
        Trace t = Trace.get();
        if (t == null) {
            return;
        }
        for (String line : lines) {
            int at = line.indexOf("\"rec\":\"");
            String rec = at < 0 ? "record" : line.substring(at + 7, Math.max(at + 7, line.indexOf('"', at + 7)));
            t.note("persist", rec, "record", line);
        }
    }

    /** Tracing: the protocol points (crash points) this round's steps passed, at {@code kind}. */
    private static void tracePoints(List<Output> outs, String kind) {
        Trace t = Trace.get();
        if (t == null) {
            return;
        }
        for (Output o : outs) {
            for (String p : o.points()) {
                if (p.startsWith(kind) || p.startsWith("2pc-" + kind)) {
                    t.note("point", p);
                }
            }
        }
    }

    private void send(List<Envelope> sends) {
        for (Envelope e : sends) {
            if (!cutOff(e.to()) && !(isNode(e.to()) && lost())) {
                if (!(e.message() instanceof PaxosMsg.Heartbeat)) {
                    history.sent(e.to(), e.message());
                }
                if (isNode(e.to()) && delayed.active()) {
                    long now = EventLoop.nowMicros();
                    loop.scheduleMicros(delayed.add(now, e.to(), e) - now, this::sendDelayed);
                } else {
                    transport.send(e.to(), e.message());
                }
            }
        }
    }

    /** Puts on the wire the delayed messages now due (one timer per message queued; a timer may find none). */
    private void sendDelayed() {
        if (frozen) {
            return; // the links are gone: what was delayed belongs to the cluster being flushed
        }
        for (Envelope e : delayed.due(EventLoop.nowMicros())) {
            transport.send(e.to(), e.message());
        }
    }

    private static boolean isNode(String id) {
        return id.startsWith("n") && ClusterConfig.number(id) > 0;
    }

    /** {@code kind}: when in a round the point's crash happens ("before-send-", ...); 2PC points share them. */
    private void crashIf(List<Output> outs, String kind) {
        tracePoints(outs, kind);
        if (crashAt == null || !(crashAt.startsWith(kind) || crashAt.startsWith("2pc-" + kind))) {
            return;
        }
        for (Output o : outs) {
            if (o.points().contains(crashAt) && claimCrash()) {
                if (kind.startsWith("after-send-")) {
                    // "after sending" means the messages are on the wire, not queued in this process:
                    // written now, they reach their peers (on loopback, the peer's socket holds them
                    // when the write returns) though the node dies right after.
                    transport.flushQueued();
                }
                exit(3, "crash point " + crashAt + " reached");
            }
        }
    }

    /** True if this node may crash now: no claim to make, or it made the claim first. */
    private boolean claimCrash() {
        if (crashClaim == null) {
            return true;
        }
        try {
            java.nio.file.Files.createFile(Path.of(crashClaim));
            return true;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            log.info("crash point {} reached, but another node claimed it first: disarmed", crashAt);
            crashAt = null;
            return false;
        } catch (IOException e) {
            log.warn("cannot claim crash point {} at {}; crashing anyway", crashAt, crashClaim, e);
            return true;
        }
    }

    /**
     * Records as the log holds them: UTF-8 JSON bytes, appended as they are. The bytes writer escapes
     * a string that is not valid UTF-16 (a lone surrogate, which "\ud800" in a peer's JSON can carry
     * in) as {@code \uD800}, so the line is valid text the log accepts and reads back as the same
     * string. The string writer would keep the lone surrogate, the log would refuse the line, and the
     * node would stop.
     */
    static List<byte[]> encodeBytes(List<Object> records) {
        List<byte[]> out = new ArrayList<>(records.size());
        for (Object r : records) {
            try {
                out.add(JSON.writeValueAsBytes(r));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static List<String> asText(List<byte[]> records) {
        List<String> lines = new ArrayList<>(records.size());
        records.forEach(r -> lines.add(new String(r, java.nio.charset.StandardCharsets.UTF_8)));
        return lines;
    }

    /** The same as text, one line's JSON each. */
    static List<String> encode(List<Object> records) {
        return asText(encodeBytes(records));
    }

    @Override
    public void onLinked(String peer) {
        masterReached |= peer.equals(Envelope.MASTER);
    }

    /**
     * A node exits when its link to the master closes: a spawned one at once, one started by hand
     * once it has reached a master (until then it serves alone, dialling the master's port), so that
     * no node outlives the master it served and holds its logs under the next run.
     */
    @Override
    public void onDisconnected(String peer, boolean outbound) {
        // Only this node's own link to the master: anyone can dial in saying Hello as "master" and hang up.
        if (peer.equals(Envelope.MASTER) && outbound && (exitWithMaster || masterReached) && !resetAsked()) {
            exit(0, "master connection closed");
        }
    }

    private void exit(int status, String why) {
        log.info("exiting ({}): {}", status, why);
        transport.close();
        Trace t = Trace.get();
        if (t != null) {
            t.note(status == 0 ? "exit" : "crash", why);
            t.flush(); // halt runs no shutdown hook
        }
        Runtime.getRuntime().halt(status);
    }

    /** The log directory of a node, for callers that place files beside its log. */
    public static Path logDir(Path logs, String id) {
        return logs.resolve(id);
    }
}
