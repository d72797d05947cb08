package synod.paxos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import synod.app.Op;
import synod.app.Result;
import synod.app.Services;
import synod.core.Envelope;
import synod.core.Message;
import synod.core.Output;
import synod.runtime.FrameCodec;
import synod.runtime.MessageCheck;

/**
 * A group of {@link PaxosNode} cores running {@link Services} on a perfect FIFO network whose every
 * message goes through the real codec and edge: encoded (a message over the frame limit throws
 * here as it would kill the node that built it), then decoded and checked as the receiver would.
 * Each node's durable records are kept, through JSON as on disk, so a node can be killed (it hears
 * and says nothing) and restarted from its log.
 */
final class WireGroup {
    static final String CLIENT = "client";
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Packet(String from, Envelope envelope) {}

    final PaxosConfig cfg;
    final FrameCodec codec;
    private final Random random = new Random(11);
    private final TreeMap<String, PaxosNode> nodes = new TreeMap<>();
    private final TreeMap<String, List<Durable>> disks = new TreeMap<>();
    private final ArrayDeque<Packet> wire = new ArrayDeque<>();
    private final List<PaxosMsg> toClient = new ArrayList<>();
    private int largestFrame;
    private long frames;
    /** Frames sent, by message type; a Promise in parts counts as "Promise part" too. */
    final TreeMap<String, Integer> sent = new TreeMap<>();

    WireGroup(PaxosConfig cfg) {
        this(cfg, java.util.Map.of());
    }

    /** A group whose nodes start from {@code logs} (a node not named starts with an empty log). */
    WireGroup(PaxosConfig cfg, java.util.Map<String, List<Durable>> logs) {
        this.cfg = cfg;
        this.codec = new FrameCodec(cfg.frameBytesMax(), new MessageCheck(cfg.frameBytesMax(), cfg.nodes().size()));
        for (String id : cfg.nodes()) {
            disks.put(id, new ArrayList<>(logs.getOrDefault(id, List.of())));
            start(id);
        }
    }

    private void start(String id) {
        PaxosNode n = new PaxosNode(cfg, id, new Services(), new Random(random.nextLong()));
        List<Durable> back = new ArrayList<>();
        try {
            for (Durable d : disks.get(id)) {
                back.add(JSON.readValue(JSON.writerFor(Durable.class).writeValueAsString(d), Durable.class));
            }
        } catch (JsonProcessingException e) {
            throw new AssertionError(id + "'s log does not survive JSON", e);
        }
        n.recover(back);
        nodes.put(id, n);
    }

    PaxosNode node(String id) {
        return nodes.get(id);
    }

    Services services(String id) {
        return (Services) nodes.get(id).replica().machine();
    }

    int largestFrame() {
        return largestFrame;
    }

    long frames() {
        return frames;
    }

    void kill(String id) {
        nodes.remove(id);
    }

    void restart(String id) {
        start(id);
    }

    private void emit(String from, Output out) {
        List<Durable> disk = disks.get(from);
        if (out.rewriting()) {
            disk.clear();
        }
        out.records().forEach(r -> disk.add((Durable) r));
        List<Envelope> all = new ArrayList<>(out.earlySends());
        all.addAll(out.sends());
        for (Envelope e : all) {
            wire.add(new Packet(from, e));
        }
    }

    /** What the receiver decodes: the message after encoding, with the edge's check. */
    private Message overTheWire(Message m) {
        ByteBuffer frame = codec.encode(m); // throws if the node built a frame over the limit
        int length = frame.getInt();
        largestFrame = Math.max(largestFrame, length);
        frames++;
        sent.merge(m.getClass().getSimpleName(), 1, Integer::sum);
        if (m instanceof PaxosMsg.Promise p && p.parts() > 1) {
            sent.merge("Promise part", 1, Integer::sum);
        }
        byte[] body = new byte[length];
        frame.get(body);
        try {
            return codec.decode(body);
        } catch (FrameCodec.FrameException e) {
            throw new AssertionError("a node built a message its peer's edge refuses: " + e.getMessage(), e);
        }
    }

    void deliverAll() {
        while (!wire.isEmpty()) {
            Packet p = wire.poll();
            Message m = overTheWire(p.envelope().message());
            String to = p.envelope().to();
            if (to.equals(CLIENT)) {
                toClient.add((PaxosMsg) m);
            } else if (nodes.containsKey(to) && nodes.containsKey(p.from())) {
                emit(to, nodes.get(to).step(p.from(), m));
            }
        }
    }

    void tick(int n) {
        for (int i = 0; i < n; i++) {
            for (String id : List.copyOf(nodes.keySet())) {
                emit(id, nodes.get(id).tick());
                emit(id, nodes.get(id).endOfRound());
            }
            deliverAll();
        }
    }

    String leader() {
        return nodes.values().stream().filter(PaxosNode::isLeader).map(PaxosNode::id).findFirst().orElse(null);
    }

    String awaitLeader() {
        for (int i = 0; i < 500 && leader() == null; i++) {
            tick(1);
        }
        if (leader() == null) {
            throw new AssertionError("no leader within 500 ticks");
        }
        return leader();
    }

    /** Sends {@code op} as {@code client}'s request {@code seq} to {@code via}; ticks until it is answered. */
    Result request(String via, String client, long seq, Op op) {
        PaxosMsg.ClientRequest m = new PaxosMsg.ClientRequest(new Request(client, seq, op));
        for (int i = 0; i < 500; i++) {
            if (i % 50 == 0 && nodes.containsKey(via)) {
                emit(via, nodes.get(via).step(CLIENT, overTheWire(m)));
                emit(via, nodes.get(via).endOfRound());
                deliverAll();
            }
            for (PaxosMsg r : toClient) {
                if (r instanceof PaxosMsg.ClientReply reply && reply.client().equals(client) && reply.seq() == seq) {
                    return reply.result();
                }
            }
            tick(1);
        }
        throw new AssertionError(client + "'s request " + seq + " was never answered");
    }
}
