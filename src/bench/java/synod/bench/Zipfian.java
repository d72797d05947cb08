package synod.bench;

import java.util.Random;

/**
 * Ranks 0..n-1 drawn with YCSB's Zipfian generator (Gray et al., "Quickly generating billion-record
 * synthetic databases", SIGMOD 1994, as YCSB's {@code ZipfianGenerator} implements it): rank 0 is the
 * most popular, skew {@code theta} in [0, 0.99] (0 is uniform; YCSB's default is 0.99). The ranks are
 * then scrambled by a seeded permutation, as YCSB's {@code ScrambledZipfianGenerator} hashes them, so
 * the hot items are not the first ids of the range.
 */
final class Zipfian {
    static final double MAX_SKEW = 0.99;
    private final int n;
    private final double theta;
    private final double zetan;
    private final double alpha;
    private final double eta;
    private final int[] scramble;

    Zipfian(int n, double theta, long seed) {
        if (n < 2 || !(theta >= 0 && theta <= MAX_SKEW)) {
            throw new IllegalArgumentException("Zipfian over " + n + " items with skew " + theta
                    + ": needs at least 2 items and a skew in [0, " + MAX_SKEW + "]");
        }
        this.n = n;
        this.theta = theta;
        this.zetan = zeta(n, theta);
        double zeta2 = zeta(2, theta);
        this.alpha = 1.0 / (1.0 - theta);
        this.eta = (1 - Math.pow(2.0 / n, 1 - theta)) / (1 - zeta2 / zetan);
        this.scramble = new int[n];
        for (int i = 0; i < n; i++) {
            scramble[i] = i;
        }
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = scramble[i];
            scramble[i] = scramble[j];
            scramble[j] = t;
        }
    }

    private static double zeta(int n, double theta) {
        double sum = 0;
        for (int i = 1; i <= n; i++) {
            sum += 1 / Math.pow(i, theta);
        }
        return sum;
    }

    /** The next index 0..n-1 (a scrambled rank). */
    int next(Random r) {
        return scramble[rank(r)];
    }

    /** The unscrambled rank: 0 the hottest. */
    int rank(Random r) {
        if (theta == 0) {
            return r.nextInt(n);
        }
        double u = r.nextDouble();
        double uz = u * zetan;
        if (uz < 1) {
            return 0;
        }
        if (uz < 1 + Math.pow(0.5, theta)) {
            return 1;
        }
        return Math.min(n - 1, (int) (n * Math.pow(eta * u - eta + 1, alpha)));
    }
}
