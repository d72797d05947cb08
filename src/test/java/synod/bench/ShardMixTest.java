package synod.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import synod.app.Op;
import synod.master.CsvScript;

class ShardMixTest {
    private static final int PER_GROUP = 3000;

    private static int groupOf(String item) {
        return (Integer.parseInt(item) - 1) / PER_GROUP + 1;
    }

    @Test
    void theKnobsSetTheFractionsTheyName() {
        ShardMix.Generator gen = new ShardMix(0.30, 0.40, 0).generator(3, PER_GROUP, 1);
        Random r = new Random(7);
        int reads = 0;
        int transfers = 0;
        int cross = 0;
        for (int i = 0; i < 100_000; i++) {
            ShardMix.Draw d = gen.next(r);
            if (d.op() instanceof Op.Balance b) {
                reads++;
                assertEquals(groupOf(b.account()), d.group());
            } else {
                Op.Transfer t = (Op.Transfer) d.op();
                transfers++;
                assertEquals(groupOf(t.from()), d.group(), "a transfer goes to its sender's group");
                if (groupOf(t.to()) != groupOf(t.from())) {
                    cross++;
                }
            }
        }
        assertEquals(0.30, reads / 100_000.0, 0.01);
        assertEquals(0.40, (double) cross / transfers, 0.01);
    }

    @Test
    void skewMakesAFewItemsHot() {
        assertTrue(topShare(0.99) > 20 * topShare(0), "Zipfian 0.99's hottest 1% against uniform's");
        assertTrue(topShare(0) < 0.02, "uniform: the 30 most-read of 3000 get about 1% (a little more: they are the luckiest)");
    }

    /** The share of reads that hit the 30 most-read items (1% of 3000). */
    private static double topShare(double skew) {
        ShardMix.Generator gen = new ShardMix(1, 0, skew).generator(1, PER_GROUP, 3);
        Random r = new Random(11);
        int[] hits = new int[PER_GROUP + 1];
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            hits[Integer.parseInt(((Op.Balance) gen.next(r).op()).account())]++;
        }
        int[] sorted = hits.clone();
        java.util.Arrays.sort(sorted);
        long top = 0;
        for (int i = 0; i < 30; i++) {
            top += sorted[sorted.length - 1 - i];
        }
        return (double) top / n;
    }

    @Test
    void badKnobsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ShardMix(0, 0, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new ShardMix(1.5, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> ShardBench.options(new String[] {"--skew", "x"}));
        assertThrows(IllegalArgumentException.class, () -> ShardBench.options(new String[] {"--cross", "120%"}));
        assertThrows(IllegalArgumentException.class, () -> ShardBench.options(new String[] {"--preset", "tpcc"}));
        assertThrows(IllegalArgumentException.class, () -> ShardBench.options(new String[] {"1", "2", "3"}));
    }

    @Test
    void thePositionalFormStillWorksAndNamedOptionsOverrideAPreset() throws Exception {
        ShardBench.Options old = ShardBench.options(new String[] {"5", "30%"});
        assertEquals(5, old.seconds());
        assertEquals(new ShardMix(0, 0.30, 0), old.mix());
        ShardBench.Options named = ShardBench.options(new String[] {"--preset", "ycsb-b", "--skew", "0.5"});
        assertEquals(new ShardMix(0.95, 0.10, 0.5), named.mix());
    }

    @Test
    void theSavedFileIsAProject3FileOfTheSameTransactions(@TempDir Path dir) throws Exception {
        ShardMix mix = new ShardMix(0.2, 0.5, 0.9);
        Path file = dir.resolve("mix.csv");
        ShardCsv.write(file, mix.generator(3, PER_GROUP, 535), 200, 9);
        List<String> errors = new ArrayList<>();
        List<CsvScript.Set> sets = CsvScript.parse(Files.readString(file), (line, m) -> errors.add(line + ": " + m));
        assertEquals(List.of(), errors);
        assertEquals(1, sets.size());
        assertEquals(9, sets.get(0).live().size());
        ShardMix.Generator again = mix.generator(3, PER_GROUP, 535);
        Random r = new Random(9);
        List<CsvScript.Item> items = sets.get(0).items();
        assertEquals(200, items.size());
        for (CsvScript.Item item : items) {
            Op op = again.next(r).op();
            if (op instanceof Op.Transfer t) {
                assertEquals(CsvScript.Kind.TRANSFER, item.kind());
                assertEquals(List.of(t.from(), t.to(), t.amount()), List.of(item.from(), item.to(), item.amount()));
            } else {
                assertEquals(CsvScript.Kind.READ, item.kind());
                assertEquals(((Op.Balance) op).account(), item.from());
            }
        }
    }
}
