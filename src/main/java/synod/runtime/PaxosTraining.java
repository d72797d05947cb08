package synod.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import synod.app.Op;
import synod.app.Services;
import synod.core.Envelope;
import synod.core.Message;
import synod.core.Output;
import synod.paxos.PaxosConfig;
import synod.paxos.PaxosMsg;
import synod.paxos.PaxosNode;
import synod.paxos.Request;

/**
 * For {@link Train}'s class archive: three Paxos cores in memory, no sockets and no files, elect a
 * leader and run one request of every service, every message through a {@link FrameCodec} and
 * every record through the log's JSON, so that the classes a Paxos node loads are loaded here too.
 * What it computes is thrown away; if it fails, the archive merely lacks some classes.
 */
final class PaxosTraining {
    private static final String CLIENT = "training-client";

    private PaxosTraining() {}

    /** A message on its way between the cores, with who sent it. */
    private record Hop(String from, Envelope envelope) {}

    /** Runs the cores; returns a line saying how it went. */
    static String run(FrameCodec codec) {
        long t0 = System.nanoTime();
        try {
            int steps = simulate(codec);
            return "trained Paxos cores in " + (System.nanoTime() - t0) / 1_000_000 + " ms (" + steps + " messages)";
        } catch (Exception | Error e) {
            return "Paxos training failed after " + (System.nanoTime() - t0) / 1_000_000 + " ms: " + e;
        }
    }

    private static int simulate(FrameCodec codec) throws Exception {
        List<String> ids = List.of("n1", "n2", "n3");
        Map<String, PaxosNode> nodes = new LinkedHashMap<>();
        for (String id : ids) {
            nodes.put(id, new PaxosNode(PaxosConfig.of(ids), id, new Services(), new Random(id.hashCode())));
        }
        ObjectMapper json = new ObjectMapper();
        ArrayDeque<Hop> net = new ArrayDeque<>();
        List<String> records = new ArrayList<>();
        collect(nodes.get("n1").campaign(), "n1", net, records, json);
        List<Op> ops = List.of(new Op.Open(List.of("1", "2", "3"), 10), new Op.Place(List.of(new Op.Range("1", "3", 1))),
                new Op.Transfer("1", "2", 1), new Op.Transfer("2", "1", 20), new Op.Balance("1"), new Op.Lock("0"),
                new Op.Unlock("0"), new Op.Put("k", "v"), new Op.Get("k"), new Op.Delete("k"));
        int steps = 0;
        long seq = 0;
        // Once through: an election, one request of each kind: what matters is which classes load.
        for (int round = 0; round < 40 && steps < 5_000; round++) {
            if (round >= 10 && seq < ops.size()) {
                seq++;
                Request r = new Request(CLIENT, seq, ops.get((int) (seq % ops.size())));
                net.add(new Hop(Envelope.MASTER, new Envelope("n1", new PaxosMsg.ClientRequest(r))));
            }
            for (var e : nodes.entrySet()) {
                collect(e.getValue().tick(), e.getKey(), net, records, json);
            }
            for (int n = net.size(); n > 0; n--) {
                Hop hop = net.poll();
                Message m = codec.decode(body(codec, hop.envelope().message()));
                steps++;
                PaxosNode to = nodes.get(hop.envelope().to());
                if (to != null) {
                    collect(to.step(hop.from(), m), hop.envelope().to(), net, records, json);
                }
            }
            for (var e : nodes.entrySet()) {
                collect(e.getValue().endOfRound(), e.getKey(), net, records, json);
            }
        }
        for (String r : records) {
            PaxosHost.decodeRecord(r);
        }
        History history = new History();
        for (String what : List.of("info", "status", "view", "db", "modified", "state", "log")) {
            Control.QueryReply q = new Control.QueryReply(1, NodeQueries.answer(nodes.get("n1"), ids, history,
                    new Control.Query(1, what, 0)));
            codec.decode(body(codec, q));
        }
        for (Message m : List.of(new Control.Hello("n1", 1), new Control.SetLive(ids), new Control.Campaign(),
                new Control.Query(1, "info", 0), new Control.SetDropRate(0, 1), new Control.SetDelay(0, 0, 1), new Control.CrashAt("", null))) {
            codec.decode(body(codec, m));
        }
        return steps;
    }

    private static void collect(Output out, String from, ArrayDeque<Hop> net, List<String> records, ObjectMapper json)
            throws Exception {
        out.earlySends().forEach(e -> net.add(new Hop(from, e)));
        out.sends().forEach(e -> net.add(new Hop(from, e)));
        for (Object r : out.records()) {
            records.add(json.writeValueAsString(r));
        }
    }

    private static byte[] body(FrameCodec codec, Message m) {
        java.nio.ByteBuffer frame = codec.encode(m);
        byte[] b = new byte[frame.remaining() - 4];
        frame.position(frame.position() + 4);
        frame.get(b);
        return b;
    }
}
