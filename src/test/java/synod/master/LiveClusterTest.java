package synod.master;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A test of real node JVMs under one {@link PaxosCluster} of this JVM: {@link #open} makes it, and it is reaped after each test. */
abstract class LiveClusterTest {
    @TempDir
    Path tmp;
    NodeJvms.Live live;
    PaxosCluster cluster;

    /** The cluster (no node started yet) on a private block of ports under the test's directory. */
    void open(long seed) throws IOException {
        live = new NodeJvms.Live(tmp, seed);
        cluster = live.cluster;
    }

    @AfterEach
    void reap() {
        if (live != null) {
            live.close();
        }
    }
}
