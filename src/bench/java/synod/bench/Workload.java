package synod.bench;

import java.util.Random;

/**
 * The one workload synod, etcd and ZooKeeper are compared on: each closed-loop client writes a
 * 64-byte value to a key drawn uniformly from {@code k0..k999}. Keys come from a seeded generator
 * per client, so every system sees the same sequence of keys.
 */
public final class Workload {
    public static final int KEYS = 1000;
    public static final String VALUE = "0123456789abcdef".repeat(4);
    /** Closed-loop clients per measured point. */
    public static final int[] CONCURRENCY = {1, 16, 64};

    /** One per client: a client has one request outstanding at a time, so none is shared. */
    private final Random[] rnd;

    public Workload(int clients) {
        rnd = new Random[clients];
        for (int c = 0; c < clients; c++) {
            rnd[c] = new Random(c * 7919L + clients);
        }
    }

    /** The key number of client {@code client}'s next write. */
    public int nextKey(int client) {
        return rnd[client].nextInt(KEYS);
    }

    public static String key(int k) {
        return "k" + k;
    }
}
