package synod.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import synod.core.BadMessage;
import synod.core.Envelope;
import synod.core.Message;
import synod.core.Output;
import synod.snapshot.BankMsg;
import synod.snapshot.BankNode;

/**
 * One CS380D bank node: one JVM, one event loop, one {@link BankNode} core. It dials the master
 * (which spawned it) and exits by itself when that connection closes, so a vanished master never
 * leaves nodes behind.
 */
public final class NodeMain implements Transport.Listener {
    private final Logger log;
    private final EventLoop loop;
    private final Transport transport;
    private final BankNode core;

    private NodeMain(String id, long balance, ClusterConfig config, ClusterKey key) {
        this.log = LoggerFactory.getLogger("node." + id);
        this.loop = new EventLoop("node-" + id);
        this.core = new BankNode(id, balance);
        this.transport = new Transport(loop, new FrameCodec(config.frameBytesMax()), id, this,
                config.transportSettings(), Auth.bankNode(key));
    }

    public static void main(String[] args) {
        Options opts = new Options()
                .addOption(Option.builder().longOpt("id").hasArg().required().desc("node id").build())
                .addOption(Option.builder().longOpt("master").hasArg().required().desc("master host:port").build())
                .addOption(Option.builder().longOpt("balance").hasArg().required().desc("initial balance").build())
                .addOption(Option.builder().longOpt("logs").hasArg().desc("log directory (default logs)").build())
                .addOption(Option.builder().longOpt("config").hasArg().desc("cluster config (JSON)").build())
                .addOption(Option.builder().longOpt("trace").desc("record this node's events in logs/ID/trace.jsonl").build());
        CommandLine cl;
        try {
            cl = new DefaultParser().parse(opts, args);
        } catch (ParseException e) {
            System.err.println("node: " + e.getMessage());
            System.exit(2);
            return;
        }
        String id = cl.getOptionValue("id");
        Logs.toFile(Path.of(cl.getOptionValue("logs", "logs"), id, "node.log"));
        String[] hostPort = cl.getOptionValue("master").split(":");
        ClusterConfig config;
        ClusterKey key;
        try {
            config = cl.hasOption("config") ? ClusterConfig.load(Path.of(cl.getOptionValue("config")), true)
                    : ClusterConfig.DEFAULT;
            key = ClusterKey.required(Path.of(cl.getOptionValue("logs", "logs"), id), config);
        } catch (IOException e) {
            System.err.println("node: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (cl.hasOption("trace")) {
            try {
                Trace.start(Path.of(cl.getOptionValue("logs", "logs")), id).note("start", "started",
                        "pid", ProcessHandle.current().pid());
            } catch (IOException e) {
                System.err.println("node: cannot trace: " + e.getMessage());
                System.exit(2);
                return;
            }
        }
        NodeMain node = new NodeMain(id, Long.parseLong(cl.getOptionValue("balance")), config, key);
        node.start(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])));
    }

    private void start(InetSocketAddress master) {
        loop.execute(() -> {
            try {
                int port = transport.listen("127.0.0.1", 0);
                log.info("node {} listening on {}, pid {}", core.id(), port, ProcessHandle.current().pid());
            } catch (IOException e) {
                log.error("cannot listen", e);
                Runtime.getRuntime().halt(1);
            }
            transport.connect(Envelope.MASTER, master, false);
        });
        loop.start();
    }

    @Override
    public void onMessage(String from, Message m) {
        if (m instanceof Control.Hello) {
            return;
        }
        if (m instanceof Control.Connect c && from.equals(Envelope.MASTER)) {
            core.addPeer(c.peer());
            transport.connect(c.peer(), new InetSocketAddress(c.host(), c.port()), true);
        } else if (m instanceof Control.Shutdown && from.equals(Envelope.MASTER)) {
            log.info("shutdown requested by the master");
            exit(0);
        } else if (m instanceof BankMsg) {
            send(core.step(from, m));
        } else {
            throw new BadMessage("unexpected " + m + " from " + from);
        }
    }

    @Override
    public void onLinked(String peer) {
        if (!peer.equals(Envelope.MASTER)) {
            core.onPeerUp(peer);
            transport.send(Envelope.MASTER, new Control.Linked(peer));
        }
    }

    @Override
    public void onDisconnected(String peer, boolean outbound) {
        if (peer.equals(Envelope.MASTER) && outbound) { // not a stranger who dialled in as "master" and hung up
            log.info("master connection closed; exiting");
            exit(0);
        } else if (outbound) {
            send(core.onPeerDown(peer));
        }
    }

    private void send(Output out) {
        for (Envelope e : out.sends()) {
            transport.send(e.to(), e.message());
        }
    }

    private void exit(int status) {
        transport.close();
        Trace t = Trace.get();
        if (t != null) {
            t.flush(); // halt runs no shutdown hook
        }
        Runtime.getRuntime().halt(status);
    }
}
