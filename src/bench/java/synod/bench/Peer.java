package synod.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * A system synod is compared with (etcd, ZooKeeper): a 3-member cluster on loopback that forces
 * its log to disk before answering, as synod does, with requests sent to its current leader.
 */
public interface Peer extends AutoCloseable {
    /** Short name: {@code bin/bench NAME}, logs under {@code logs/bench-NAME/}. */
    String name();

    /** The name and version of what is measured, as its own tools report it, for the table header. */
    String version() throws Exception;

    /** How the load generator reaches it: protocol, client layout. */
    String client();

    /** Starts the members with fresh data under {@code dir}, waits for a leader, creates the keys if needed. */
    void start(Path dir) throws Exception;

    /** The member processes, whose CPU is reported. */
    List<ProcessHandle> servers();

    /** A target for {@code clients} closed-loop clients writing {@link Workload}'s keys at the leader. */
    Target target(Workload workload, int clients) throws Exception;

    /** Stops and reaps every member. */
    @Override
    void close();
}
