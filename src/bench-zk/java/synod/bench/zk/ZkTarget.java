package synod.bench.zk;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import synod.bench.Target;
import synod.bench.Workload;

/**
 * A ZooKeeper ensemble's leader as a {@link Target}: each write is an asynchronous
 * {@code setData} of the 64-byte value on znode {@code /kN} (any version), which counts only if its
 * return code is OK. The clients share {@code handles} ZooKeeper handles (sessions), round robin,
 * or get one each.
 */
final class ZkTarget implements Target {
    private static final int SESSION_MILLIS = 30_000;
    private static final long CONNECT_MILLIS = 30_000;
    private static final byte[] VALUE = Workload.VALUE.getBytes(StandardCharsets.UTF_8);
    private static final String[] PATHS = new String[Workload.KEYS];

    static {
        for (int k = 0; k < Workload.KEYS; k++) {
            PATHS[k] = "/" + Workload.key(k);
        }
    }

    private final ZooKeeper[] zks;
    private final Workload workload;

    ZkTarget(String connect, Workload workload, int clients, int handles) throws Exception {
        this.workload = workload;
        this.zks = new ZooKeeper[handles > 0 ? Math.min(handles, clients) : clients];
        try {
            for (int h = 0; h < zks.length; h++) {
                zks[h] = connect(connect);
            }
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    @Override
    public CompletableFuture<Stat> submit(int client, long seq) {
        CompletableFuture<Stat> done = new CompletableFuture<>();
        zks[client % zks.length].setData(PATHS[workload.nextKey(client)], VALUE, -1, (rc, path, ctx, stat) -> {
            if (rc == KeeperException.Code.OK.intValue()) {
                done.complete(stat);
            } else {
                done.completeExceptionally(KeeperException.create(KeeperException.Code.get(rc), path));
            }
        }, null);
        return done;
    }

    @Override
    public void close() throws InterruptedException {
        for (ZooKeeper zk : zks) {
            if (zk != null) {
                zk.close();
            }
        }
    }

    /** Creates {@code /k0} .. {@code /k999}, each holding the value, all requests in flight at once. */
    static void createKeys(String connect) throws Exception {
        ZooKeeper zk = connect(connect);
        try {
            CountDownLatch created = new CountDownLatch(Workload.KEYS);
            AtomicReference<KeeperException> failed = new AtomicReference<>();
            for (String path : PATHS) {
                zk.create(path, VALUE, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, (rc, p, ctx, name) -> {
                    if (rc != KeeperException.Code.OK.intValue()) {
                        failed.compareAndSet(null, KeeperException.create(KeeperException.Code.get(rc), p));
                    }
                    created.countDown();
                }, null);
            }
            if (!created.await(CONNECT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("ZooKeeper did not create the " + Workload.KEYS + " znodes in time");
            }
            if (failed.get() != null) {
                throw failed.get();
            }
        } finally {
            zk.close();
        }
    }

    /** A handle whose session is established. */
    private static ZooKeeper connect(String connect) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connect, SESSION_MILLIS, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(CONNECT_MILLIS, TimeUnit.MILLISECONDS)) {
            zk.close();
            throw new IllegalStateException("no ZooKeeper session with " + connect + " within " + CONNECT_MILLIS + " ms");
        }
        return zk;
    }
}
