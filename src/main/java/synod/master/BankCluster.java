package synod.master;

import java.util.List;
import synod.snapshot.BankMsg;

/**
 * The CS380D nodes as the master drives them: each call sends one command and blocks until the node
 * answers. Implemented by real JVMs over TCP ({@link ProcessCluster}) and by cores in this JVM
 * ({@link InProcessCluster}, for scenario tests and the benchmark baseline).
 */
public interface BankCluster extends AutoCloseable {

    /** A node could not be reached or answered nothing in time: an operating error. */
    final class ClusterException extends Exception {
        public ClusterException(String message) {
            super(message);
        }

        public ClusterException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A node to create: its id and initial balance. */
    record NewNode(String id, long amount) {}

    /** Starts node {@code id} with {@code amount} and links it both ways with every node in {@code peers}. */
    default void createNode(String id, long amount, List<String> peers) throws ClusterException {
        createNodes(List.of(new NewNode(id, amount)), peers);
    }

    /**
     * Starts every node of {@code fresh} and links every pair among them and {@code peers}; returns
     * when all channels are up. Implementations may start them in parallel.
     */
    void createNodes(List<NewNode> fresh, List<String> peers) throws ClusterException;

    BankMsg.Done send(String from, String to, long amount) throws ClusterException;

    BankMsg.Done take(String to, String from) throws ClusterException;

    BankMsg.Done begin(String id, long snapshot) throws ClusterException;

    BankMsg.Report collect(String id, long snapshot) throws ClusterException;

    /** Stops every node; safe to call twice. */
    @Override
    void close();
}
