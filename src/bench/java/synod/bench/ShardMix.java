package synod.bench;

import java.util.Random;
import synod.app.Op;

/**
 * The Project 3 benchmark's three knobs (CSE535 Project 3, section 1.3) and the transactions they
 * generate on a range-sharded bank of {@code groups} groups of {@code perGroup} items (group g holds
 * (g-1)*perGroup+1 .. g*perGroup): a fraction {@code readOnly} are balance reads of one item, the
 * rest transfers of 1; a fraction {@code cross} of the transfers go to an item of another group (two-phase
 * commit), the others stay in the sender's group; the group is drawn uniformly and the item within
 * it from a {@link Zipfian} of skew {@code skew} (0 uniform, up to 0.99), so that hot items conflict.
 */
record ShardMix(double readOnly, double cross, double skew) {
    ShardMix {
        check("read-only fraction", readOnly, 1);
        check("cross-group fraction", cross, 1);
        check("skew", skew, Zipfian.MAX_SKEW);
    }

    private static void check(String what, double v, double max) {
        if (!(v >= 0 && v <= max)) {
            throw new IllegalArgumentException(what + " " + v + " is not in [0, " + max + "]");
        }
    }

    /** One generated request: the operation, and the group it goes to (the sender's, for a transfer). */
    record Draw(Op op, int group) {}

    /** This mix's generator on {@code groups} groups of {@code perGroup} items; {@code seed} fixes the hot items. */
    Generator generator(int groups, int perGroup, long seed) {
        return new Generator(groups, perGroup, new Zipfian(perGroup, skew, seed));
    }

    /** Draws requests; one per client thread at a time (the Random is the caller's). */
    final class Generator {
        private final int groups;
        private final int perGroup;
        private final Zipfian items;

        private Generator(int groups, int perGroup, Zipfian items) {
            this.groups = groups;
            this.perGroup = perGroup;
            this.items = items;
        }

        Draw next(Random r) {
            int g = 1 + r.nextInt(groups);
            if (r.nextDouble() < readOnly) {
                return new Draw(new Op.Balance(item(g, r)), g);
            }
            int h = groups > 1 && r.nextDouble() < cross ? 1 + (g + r.nextInt(groups - 1)) % groups : g;
            String from = item(g, r);
            String to = item(h, r);
            while (to.equals(from)) {
                to = item(h, r); // a transfer to itself is refused by the bank
            }
            return new Draw(new Op.Transfer(from, to, 1), g);
        }

        private String item(int g, Random r) {
            return String.valueOf((g - 1) * perGroup + 1 + items.next(r));
        }
    }
}
