package synod.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import synod.core.Envelope;
import synod.core.Message;
import synod.snapshot.BankMsg;

/**
 * A build step, not a test: runs two real nodes and a stand-in master in this JVM through
 * start-up, linking, a transfer, a receive and a snapshot, then ends the JVM the way a node does;
 * before that, three Paxos cores in memory ({@link PaxosTraining}). Run with
 * {@code -XX:ArchiveClassesAtExit=target/node.jsa}, it records every class a node loads into a CDS
 * archive, which roughly halves the start-up of each node JVM (and with the Paxos classes in it, a
 * Paxos node starts on about 7% less CPU than with the bank's alone).
 */
public final class Train {
    private Train() {}

    public static void main(String[] args) {
        try {
            train();
        } catch (Exception | Error e) {
            // Node event loops are not daemons: without halt a failed training would never end.
            System.err.println("train: " + e);
            Runtime.getRuntime().halt(1);
        }
    }

    private static void train() throws Exception {
        String paxos = PaxosTraining.run(new FrameCodec(1 << 20));
        if (paxos.contains("failed")) {
            System.err.println("train: " + paxos + " (the archive lacks some Paxos classes; nodes start a little slower)");
        }
        Path logs = Files.createTempDirectory("synod-train");
        Logs.toFile(logs.resolve("train.log"));
        BlockingQueue<Message> got = new LinkedBlockingQueue<>();
        Map<String, Integer> ports = new ConcurrentHashMap<>();
        EventLoop loop = new EventLoop("train-master");
        ClusterKey key = ClusterKey.generate(Auth.RANDOM); // the archive holds the handshake's classes too
        for (String id : new String[] {"1", "2"}) {
            key.save(logs.resolve(id).resolve(ClusterKey.FILE));
        }
        Transport master = new Transport(loop, new FrameCodec(1 << 20), Envelope.MASTER, (from, m) -> {
            if (m instanceof Control.Hello h) {
                ports.put(from, h.port());
            }
            got.add(m);
        }, Transport.Settings.DEFAULT, Auth.master(key, "bank", java.util.Set.of()));
        int[] port = new int[1];
        loop.execute(() -> {
            try {
                port[0] = master.listen("127.0.0.1", 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            got.add(new Control.Shutdown());
        });
        loop.start();
        next(got, Control.Shutdown.class);
        for (String id : new String[] {"1", "2"}) {
            NodeMain.main(new String[] {"--id", id, "--master", "127.0.0.1:" + port[0], "--balance", "100",
                "--logs", logs.toString()});
        }
        next(got, Control.Hello.class);
        next(got, Control.Hello.class);
        int p1 = ports.get("1");
        int p2 = ports.get("2");
        loop.execute(() -> {
            master.send("1", new Control.Connect("2", "127.0.0.1", p2));
            master.send("2", new Control.Connect("1", "127.0.0.1", p1));
        });
        next(got, Control.Linked.class);
        next(got, Control.Linked.class);
        call(loop, master, got, "1", new BankMsg.SendMoney(1, "2", 5));
        call(loop, master, got, "2", new BankMsg.Take(2, "1"));
        call(loop, master, got, "1", new BankMsg.Begin(3, 1));
        call(loop, master, got, "2", new BankMsg.Take(4, "1"));
        loop.execute(() -> master.send("2", new BankMsg.Collect(5, 1)));
        next(got, BankMsg.Report.class);
        // A node halts the JVM on Shutdown, as in production; the CDS archive is written then.
        loop.execute(() -> master.send("1", new Control.Shutdown()));
        Thread.sleep(10_000);
        throw new IllegalStateException("node did not end the JVM on Shutdown");
    }

    private static void call(EventLoop loop, Transport master, BlockingQueue<Message> got, String to, BankMsg m)
            throws InterruptedException {
        loop.execute(() -> master.send(to, m));
        BankMsg.Done d = next(got, BankMsg.Done.class);
        if (d.error() != null) {
            throw new IllegalStateException("training step failed: " + d.error());
        }
    }

    private static <T> T next(BlockingQueue<Message> got, Class<T> type) throws InterruptedException {
        Message m = got.poll(30, TimeUnit.SECONDS);
        if (!type.isInstance(m)) {
            throw new IllegalStateException("training expected " + type.getSimpleName() + ", got " + m);
        }
        return type.cast(m);
    }
}
