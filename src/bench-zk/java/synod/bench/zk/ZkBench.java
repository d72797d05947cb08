package synod.bench.zk;

import java.io.File;
import synod.bench.PeerBench;

/**
 * {@code bin/bench zk [SECONDS [HANDLES]]}: synod against a 3-node ZooKeeper ensemble, side by side
 * ({@link PeerBench}). HANDLES: ZooKeeper client handles (sessions) the closed-loop clients share,
 * round robin, or 0 for one handle per client.
 */
public final class ZkBench {
    /**
     * Four handles carried the most on this machine, about 19k writes/s at 64 clients against 12-14k
     * with one handle per client and 7k with a single one: a handle's one sender and one callback
     * thread cap it, and every handle adds threads to share 2 cores (docs/bench.md).
     */
    private static final int HANDLES = 4;

    private ZkBench() {}

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 3;
        int handles = args.length > 1 ? Integer.parseInt(args[1]) : HANDLES;
        productClassPath();
        // no Kerberos here: without this the client looks for a JAAS configuration on every connect
        System.setProperty("zookeeper.sasl.client", "false");
        PeerBench.compare(new ZkPeer(handles), seconds);
    }

    /**
     * synod's nodes are started with this JVM's class path, which here also holds the ZooKeeper
     * client. Naming only the product jar makes them run exactly as under bin/bench etcd (and use
     * its class-data archive); the classes this JVM loads are not affected.
     */
    private static void productClassPath() {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith(File.separator + "synod.jar") || entry.equals("synod.jar")) {
                System.setProperty("java.class.path", entry);
                return;
            }
        }
        throw new IllegalStateException("target/synod.jar is not on the class path: " + System.getProperty("java.class.path"));
    }
}
