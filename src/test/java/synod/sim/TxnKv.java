package synod.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import synod.app.KvShard;
import synod.app.Op;
import synod.txn.TxnOp;

/**
 * The key-value store a {@link TxnSim} shards over its groups by the keys' hash ({@link KvShard}),
 * and what its clients ask of it: puts, gets and deletes of one key, and transactions of one to four
 * steps over a few keys per group (so that they conflict), across groups more often than not, with
 * guards ({@code expect K V}, {@code expect K absent}) over a domain of four values, so that some
 * hold and some do not, and a guard and a write of the same key now and then (a compare-and-set).
 *
 * <p>Invariant: the keys are fixed at construction (from the seeded {@link Random}); every choice
 * a client makes is a draw from the one it is given.
 */
final class TxnKv {
    private static final int VALUES = 4;

    private final int groups;
    private final TreeMap<Integer, List<String>> keys = new TreeMap<>();

    TxnKv(int groups, Random random) {
        this.groups = groups;
        for (int i = 0; keys.values().stream().mapToInt(List::size).sum() < 3 * groups; i++) {
            String k = "k" + i;
            List<String> mine = keys.computeIfAbsent(KvShard.groupOf(k, groups), g -> new ArrayList<>());
            if (mine.size() < 2 + (random.nextBoolean() ? 1 : 0) && mine.size() < 3) {
                mine.add(k);
            }
        }
    }

    TreeMap<Integer, List<String>> keys() {
        return keys;
    }

    /** A key-value client's mix of ops. */
    TxnClient.Ops workload() {
        return new TxnClient.Ops() {
            @Override
            public Op next(Random r) {
                double d = r.nextDouble();
                if (d < 0.15) {
                    return new Op.Put(key(r, 1 + r.nextInt(groups)), value(r));
                } else if (d < 0.35) {
                    return new Op.Get(key(r, 1 + r.nextInt(groups)));
                } else if (d < 0.4) {
                    return new Op.Delete(key(r, 1 + r.nextInt(groups)));
                }
                return txn(r);
            }

            @Override
            public int groupOf(Op op) {
                String key = op instanceof Op.Put p ? p.key() : op instanceof Op.Get g ? g.key()
                        : op instanceof Op.Delete x ? x.key() : ((Op.KvTxn) op).steps().get(0).item();
                return KvShard.groupOf(key, groups);
            }
        };
    }

    private Op txn(Random r) {
        List<TxnOp> steps = new ArrayList<>();
        TreeSet<String> written = new TreeSet<>();
        TreeSet<String> guarded = new TreeSet<>();
        int first = 1 + r.nextInt(groups);
        for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
            // the first step in the coordinator's group; the others across groups more often than not
            String k = key(r, i == 0 || r.nextInt(3) == 0 ? first : 1 + r.nextInt(groups));
            boolean guard = r.nextInt(3) == 0;
            if (!(guard ? guarded : written).add(k)) {
                continue;
            }
            if (guard) {
                steps.add(r.nextInt(3) == 0 ? new TxnOp.ExpectAbsent(k) : new TxnOp.Expect(k, value(r)));
            } else {
                steps.add(r.nextInt(5) == 0 ? new TxnOp.Delete(k) : new TxnOp.Put(k, value(r)));
            }
        }
        return new Op.KvTxn(steps);
    }

    private String key(Random r, int g) {
        List<String> mine = keys.get(g);
        return mine.get(r.nextInt(mine.size()));
    }

    private static String value(Random r) {
        return String.valueOf(r.nextInt(VALUES));
    }
}
