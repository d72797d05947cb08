package synod.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import synod.master.InProcessRun;

/**
 * Cross-checks the implementation and the oracle: every output the in-process cores print for a
 * case, under 200 seeds, must be one the oracle enumerates and accepts; and every mutation of such
 * an output must be rejected. Also pins the outcome counts worked out independently by others.
 */
class ImplementationAgreementTest {
    static final int SEEDS = 200;
    private static final Pattern NUMBER = Pattern.compile("-?\\d+$");
    private static final Pattern AMOUNT = Pattern.compile("^(.*(?:= |Transfer ))(\\d+)$");

    /** The number of possible outputs, or {@code limit + 1} when there are more than {@code limit}. */
    static long countAtMost(String script, long limit) {
        try {
            return Cs380dChecker.countOutputs(script, limit);
        } catch (IllegalStateException tooMany) {
            return limit + 1;
        }
    }

    /** Up to this many possible outputs a script's outcomes are counted (zhdllwyc-test5 has 128,736). */
    static final long COUNTABLE = 200_000;

    /** Scripts this long (the generated stress cases) are checked for acceptance, not enumerated. */
    static final long LARGE = 200;

    /** Up to this many possible outputs the tests compare whole sets; beyond it, counts and acceptance only. */
    static final long ENUMERABLE = 20_000;

    @TestFactory
    Stream<DynamicTest> implementationOutputsAreAccepted() throws IOException {
        return CheckerCasesTest.scripts().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            String script = CheckerCasesTest.read(p);
            // Counting walks every outcome; past COUNTABLE (own-many-transfers has astronomically
            // many) the bound below is vacuous and only acceptance of each output is checked.
            long count = script.lines().count() < LARGE ? countAtMost(script, COUNTABLE) : COUNTABLE + 1;
            Set<String> possible = count <= ENUMERABLE ? Cs380dChecker.possibleOutputs(script, ENUMERABLE) : null;
            Set<String> seen = new TreeSet<>();
            for (long seed = 1; seed <= SEEDS; seed++) {
                String out = InProcessRun.run(script, seed);
                if (seen.add(out)) {
                    CheckerCasesTest.accepted(script, out);
                    assertTrue(possible == null || possible.contains(out), "accepted but not enumerated, seed " + seed);
                }
            }
            assertTrue(seen.size() <= count, seen.size() + " outputs seen, " + count + " possible");
        }));
    }

    /**
     * Too many outputs to list. A "F Transfer A" line is fixed whatever the hidden choices (the
     * printed sender names the channel, whose head is known), so A + 1 is never possible. When every
     * amount in the script is a multiple of 10, so is every balance and sum, and every number may be
     * bumped. Long outputs are sampled at up to 100 seeded positions.
     */
    private static void mutateFixedLines(String script, String out) {
        boolean tens = script.lines().filter(l -> l.matches("(?i)\\s*(send|createnode)\\s.*"))
                .allMatch(l -> l.replaceAll("#.*", "").strip().endsWith("0"));
        List<String> lines = Cs380dChecker.lines(out);
        List<Integer> positions = new java.util.ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(" Transfer ") || tens) {
                positions.add(i);
            }
        }
        java.util.Collections.shuffle(positions, new java.util.Random(7));
        int mutated = 0;
        for (int i : positions.subList(0, Math.min(100, positions.size()))) {
            Matcher num = AMOUNT.matcher(lines.get(i));
            if (num.find()) {
                CheckerCasesTest.rejected(script, with(lines, i, num.group(1) + (Long.parseLong(num.group(2)) + 1)));
                mutated++;
            }
        }
        assertTrue(mutated > 0, "no line of the output could be mutated");
    }

    @Test
    void publishedOutcomeCounts() {
        Map<String, Integer> counts = Map.of(
                "changanvr-case7.txt", 6, "pskevin-readme.txt", 8, "pskevin-run1.txt", 4,
                "zhdllwyc-test3.txt", 3, "zhdllwyc-test4.txt", 37, "hq01-test5.txt", 8, "hq01-test7.txt", 3);
        counts.forEach((name, n) -> {
            String script = CheckerCasesTest.read(CheckerCasesTest.CASES.resolve(name));
            assertEquals(n, Cs380dChecker.possibleOutputs(script, 1000).size(), name);
            assertEquals((long) n, Cs380dChecker.countOutputs(script, 1000), name);
        });
        for (String fixed : List.of("pskevin-run2.txt", "pskevin-run3.txt", "changanvr-case5.txt", "changanvr-case8.txt",
                "hq01-test1.txt", "hq01-test2.txt", "hq01-test3.txt", "hq01-test4.txt", "hq01-test6.txt",
                "zhdllwyc-test1.txt", "zhdllwyc-test2.txt")) {
            assertEquals(1, Cs380dChecker.countOutputs(CheckerCasesTest.read(CheckerCasesTest.CASES.resolve(fixed)), 100), fixed);
        }
    }

    @TestFactory
    Stream<DynamicTest> mutationsAreRejected() throws IOException {
        return CheckerCasesTest.scripts().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            String script = CheckerCasesTest.read(p);
            String out = InProcessRun.run(script, 7);
            if (script.lines().count() < LARGE && countAtMost(script, ENUMERABLE) <= ENUMERABLE) {
                Set<String> possible = Cs380dChecker.possibleOutputs(script, ENUMERABLE);
                for (String bad : mutations(out)) {
                    if (!possible.contains(bad)) { // swapping equal lines, say, changes nothing
                        CheckerCasesTest.rejected(script, bad);
                    }
                }
            } else {
                mutateFixedLines(script, out);
            }
        }));
    }

    /** One number changed, two adjacent lines swapped, one line dropped, one extra line: each at every place. */
    static List<String> mutations(String out) {
        List<String> lines = Cs380dChecker.lines(out);
        List<String> muts = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            Matcher num = NUMBER.matcher(l);
            if (num.find()) {
                long v = Long.parseLong(num.group());
                muts.add(with(lines, i, l.substring(0, num.start()) + (v + 1)));
                muts.add(with(lines, i, l.substring(0, num.start()) + (v == 0 ? 100 : 0)));
            }
            if (i + 1 < lines.size()) {
                List<String> sw = new ArrayList<>(lines);
                sw.set(i, lines.get(i + 1));
                sw.set(i + 1, l);
                muts.add(join(sw));
            }
            List<String> drop = new ArrayList<>(lines);
            drop.remove(i);
            muts.add(join(drop));
            List<String> extra = new ArrayList<>(lines);
            extra.add(i, l);
            muts.add(join(extra));
        }
        List<String> tail = new ArrayList<>(lines);
        tail.add("ERR_SEND");
        muts.add(join(tail));
        assertFalse(lines.isEmpty() && !out.isEmpty());
        return muts;
    }

    private static String with(List<String> lines, int i, String line) {
        List<String> copy = new ArrayList<>(lines);
        copy.set(i, line);
        return join(copy);
    }

    private static String join(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }
}
