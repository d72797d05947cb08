package synod.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import synod.app.Op;

/**
 * The bank a {@link TxnSim} shards over its groups, and what its clients ask of it. Group g holds
 * items (g-1)*{@value #SPAN}+1 .. g*{@value #SPAN}, of which its first few are open accounts, all
 * opened with one balance; the first account of each group is hot. Clients read balances and
 * transfer, within a group and across groups (hot items in both directions, so transactions
 * conflict), amounts the sender often cannot afford, now and then from or to an item nobody opened
 * or no group holds.
 *
 * <p>Invariant: the layout is fixed at construction (from the seeded {@link Random}); every choice
 * a client makes is a draw from the one it is given.
 */
final class TxnBank {
    static final int SPAN = 100;
    /** An item no group holds. */
    private static final String NOWHERE = "999";

    private final int groups;
    private final TreeMap<Integer, List<String>> accounts = new TreeMap<>();
    private final long opening;

    TxnBank(int groups, Random random) {
        this.groups = groups;
        for (int g = 1; g <= groups; g++) {
            List<String> open = new ArrayList<>();
            for (int i = 1, count = 2 + random.nextInt(4); i <= count; i++) {
                open.add(String.valueOf((g - 1) * SPAN + i));
            }
            accounts.put(g, List.copyOf(open));
        }
        opening = 5 + random.nextInt(20);
    }

    /** The open accounts of group {@code g}. */
    List<String> accounts(int g) {
        return accounts.get(g);
    }

    TreeMap<Integer, List<String>> accounts() {
        return accounts;
    }

    long opening() {
        return opening;
    }

    /** The money all accounts are opened with. */
    long total() {
        return opening * accounts.values().stream().mapToLong(List::size).sum();
    }

    /** Where every item lives, as the master tells every group (Op.Place). */
    List<Op.Range> ranges() {
        List<Op.Range> ranges = new ArrayList<>();
        for (int g = 1; g <= groups; g++) {
            ranges.add(new Op.Range(String.valueOf((g - 1) * SPAN + 1), String.valueOf(g * SPAN), g));
        }
        return ranges;
    }

    /** The group holding {@code item}, or 0. */
    int placement(String item) {
        int i;
        try {
            i = Integer.parseInt(item);
        } catch (NumberFormatException e) {
            return 0;
        }
        int g = (i - 1) / SPAN + 1;
        return i >= 1 && g <= groups ? g : 0;
    }

    /** A bank client's mix of ops, a share {@code readShare} of them reads. */
    TxnClient.Ops workload(double readShare) {
        return new TxnClient.Ops() {
            @Override
            public Op next(Random r) {
                if (r.nextDouble() < readShare) {
                    return new Op.Balance(r.nextInt(20) == 0 ? missing(r) : item(r, 1 + r.nextInt(groups)));
                }
                return transfer(r);
            }

            @Override
            public int groupOf(Op op) {
                int g = placement(op instanceof Op.Transfer t ? t.from() : ((Op.Balance) op).account());
                return g == 0 ? 1 : g; // an item no group holds: any group says so
            }
        };
    }

    /**
     * The resharder's ops: now and then (a third of the ticks it may act) a move of an open
     * account to another group than {@code where} says holds it, sent to the group the account was
     * placed in (a moved account's old group answers where it went, and the client follows).
     */
    TxnClient.Ops moves(java.util.function.ToIntFunction<String> where) {
        return new TxnClient.Ops() {
            @Override
            public Op next(Random r) {
                if (r.nextInt(3) != 0) {
                    return null;
                }
                List<String> open = accounts.get(1 + r.nextInt(groups));
                String acct = open.get(r.nextInt(open.size()));
                int to = 1 + (where.applyAsInt(acct) + r.nextInt(groups - 1)) % groups;
                return new Op.Move(acct, to);
            }

            @Override
            public int groupOf(Op op) {
                return placement(((Op.Move) op).account());
            }
        };
    }

    private Op transfer(Random r) {
        int fromGroup = 1 + r.nextInt(groups);
        String from = r.nextInt(20) == 0 ? String.valueOf((fromGroup - 1) * SPAN + SPAN - 1) : item(r, fromGroup);
        double d = r.nextDouble();
        String to;
        if (d < 0.55) {
            to = item(r, 1 + (fromGroup + r.nextInt(groups - 1)) % groups); // another group: two-phase commit
        } else if (d < 0.85) {
            to = item(r, fromGroup);
        } else {
            to = d < 0.93 ? missing(r) : NOWHERE;
        }
        return new Op.Transfer(from, to, 1 + r.nextInt((int) opening + 5));
    }

    /** An open account of group {@code g}, its first (hot) one half the time. */
    private String item(Random r, int g) {
        List<String> open = accounts.get(g);
        return r.nextBoolean() ? open.get(0) : open.get(r.nextInt(open.size()));
    }

    /** An item some group holds, never opened. */
    private String missing(Random r) {
        return String.valueOf(r.nextInt(groups) * SPAN + SPAN / 2);
    }
}
