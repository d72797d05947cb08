package synod.nemesis;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import synod.app.Op;
import synod.app.Result;
import synod.master.PaxosCluster;

/**
 * The clients of a nemesis run, each a thread in a closed loop (the next request as soon as the
 * last one is answered), every operation recorded in the {@link History}: the key-value register
 * (puts of unique values, gets, deletes, on a few keys that change every few seconds so each key's
 * history stays small enough to search), the bank (transfers and balance reads, routed to the
 * group holding the account, so across groups on a sharded cluster), and locks (acquire by polling
 * Lock until granted, hold a moment, unlock until released).
 */
final class Workloads {
    /** A request unanswered this long is indeterminate: the client gives up on it and moves on. */
    static final long TIMEOUT_MILLIS = 4_000;
    /** Each key-value key is used this long; then the clients move on to fresh keys. */
    static final long KEY_EPOCH_NANOS = TimeUnit.SECONDS.toNanos(4);
    static final int KEYS = 3;

    private final PaxosCluster cluster;
    private final History history;
    private final BooleanSupplier stopping;

    Workloads(PaxosCluster cluster, History history, BooleanSupplier stopping) {
        this.cluster = cluster;
        this.history = history;
        this.stopping = stopping;
    }

    /** One client: its name and its request numbers. */
    final class Client {
        final String name;
        final Random random;
        private long seq;

        Client(String name, long seed) {
            this.name = name;
            this.random = new Random(seed);
        }

        /** Sends {@code op} to group {@code g}, records it; null if it timed out (indeterminate). */
        Result call(Op op, int g, long timeoutMillis) {
            long invoked = history.now();
            Result r;
            try {
                r = cluster.submit(name, ++seq, op, g).get(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException | CancellationException e) {
                r = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                r = null;
            }
            history.add(name, op, invoked, history.now(), r);
            return r;
        }

        Result call(Op op, int g) {
            return call(op, g, TIMEOUT_MILLIS);
        }
    }

    Runnable kv(Client c) {
        return () -> {
            for (long n = 0; !stopping.getAsBoolean(); n++) {
                String key = "k" + history.now() / KEY_EPOCH_NANOS + "-" + c.random.nextInt(KEYS);
                int dice = c.random.nextInt(10);
                Op op = dice < 5 ? new Op.Put(key, c.name + "-" + n) : dice < 9 ? new Op.Get(key) : new Op.Delete(key);
                c.call(op, 1);
            }
        };
    }

    Runnable bank(Client c, List<String> accounts) {
        return () -> {
            while (!stopping.getAsBoolean()) {
                String from = accounts.get(c.random.nextInt(accounts.size()));
                if (c.random.nextInt(10) < 3) {
                    c.call(new Op.Balance(from), cluster.groupOfItem(from));
                    continue;
                }
                String to = accounts.get(c.random.nextInt(accounts.size()));
                if (!to.equals(from)) {
                    c.call(new Op.Transfer(from, to, 1 + c.random.nextInt(30)), cluster.groupOfItem(from));
                }
            }
        };
    }

    Runnable locks(Client c, List<String> locks) {
        return () -> {
            while (!stopping.getAsBoolean()) {
                String lock = locks.get(c.random.nextInt(locks.size()));
                if (!acquire(c, lock)) {
                    return;
                }
                think(5 + c.random.nextInt(30));
                Result r;
                do {
                    r = c.call(new Op.Unlock(lock), 1);
                } while (!(r instanceof Result.Released || r instanceof Result.NotHolder) && !stopping.getAsBoolean());
            }
        };
    }

    /** Polls Lock until it is granted (true) or the run stops (false). */
    private boolean acquire(Client c, String lock) {
        while (!stopping.getAsBoolean()) {
            Result r = c.call(new Op.Lock(lock), 1);
            if (r instanceof Result.Acquired) {
                return true;
            }
            if (r instanceof Result.Waiting) {
                think(10 + c.random.nextInt(20));
            }
        }
        return false;
    }

    /** A client's think time between requests: part of the workload, not a wait for anything. */
    private static void think(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The closing balances, read once the clients stopped and the cluster is whole: rounds of reads
     * until two rounds {@code quietMillis} apart agree (a transfer a client gave up on may still be
     * retried and land until then: its reply is what ends its retries).
     */
    java.util.Map<String, Long> closingBalances(List<String> accounts, long quietMillis, long deadlineMillis) {
        Client c = new Client("closing", 0);
        java.util.Map<String, Long> last = null;
        long end = System.currentTimeMillis() + deadlineMillis;
        while (System.currentTimeMillis() < end) {
            java.util.Map<String, Long> now = new java.util.TreeMap<>();
            for (String a : accounts) {
                Result r = c.call(new Op.Balance(a), cluster.groupOfItem(a), 10_000);
                if (r instanceof Result.Amount m) {
                    now.put(a, m.balance());
                }
            }
            if (now.size() == accounts.size() && now.equals(last)) {
                return now;
            }
            last = now.size() == accounts.size() ? now : null;
            think(quietMillis);
        }
        return last == null ? java.util.Map.of() : last;
    }

    static List<String> accounts(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(String.valueOf(i));
        }
        return out;
    }
}
