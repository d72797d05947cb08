package synod.bench;

import java.util.concurrent.CompletableFuture;

/**
 * A system under load, as the closed-loop driver sees it: one asynchronous request at a time per
 * client. The same driver runs against synod, etcd and ZooKeeper, so that only the target differs.
 */
public interface Target extends AutoCloseable {
    /**
     * Sends client {@code client}'s {@code seq}-th request (seq counts from 1). The future completes
     * when the reply is in and has been checked; it completes exceptionally if the system refused
     * the request or answered something malformed, which ends the run as a failure.
     */
    CompletableFuture<?> submit(int client, long seq);

    /** Releases what the target opened for its clients (connections, sessions). */
    @Override
    default void close() throws Exception {}
}
