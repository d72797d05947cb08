package synod.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import synod.partition.Graph;
import synod.partition.Partitioner;
import synod.partition.Reshard;

/**
 * {@code bin/bench reshard [TRANSACTIONS]}: the resharding function alone (no cluster), on Project
 * 3's 9,000 items in three ranges and three synthetic histories of transfers (default 100,000 each):
 * <ul>
 *   <li>communities: the items fall in 30 communities of 300, scattered over the ranges by a fixed
 *       permutation, and nine transfers in ten stay within a community (a mapping that gathers them,
 *       ten a group, leaves about 6.7% across groups, against about 67% for the ranges);
 *   <li>zipf: both ends drawn from YCSB's Zipfian at 0.99, so a few hot items take most transfers;
 *   <li>uniform: both ends uniform, a history with no structure (every mapping leaves much across).
 * </ul>
 * For each it prints four rows on the same transaction graph (items the vertices, an edge weighing
 * the transfers between two items): synod's {@link Partitioner} alone, {@code gpmetis} (METIS 5,
 * the distribution's {@code metis} package: bin/bench installs it) on the graph written in METIS's
 * format with the same number of parts and the same bound ({@code -ufactor} 30 for 3%), both its
 * direct k-way scheme (its default) and recursive bisection (better on the skewed history), and
 * {@link Reshard#plan}, which is what {@code PrintReshard} runs: the partitioner on the graph plus an
 * anchor per group tying each item to its current group, so it also keeps the moves few. The first
 * three compare like with like; the third trades a little cut for fewer moves. "moved" for the first
 * three is against the ranges after relabelling the parts the way that moves the fewest items.
 * Diagnostics and the METIS files go to logs/bench-reshard/.
 */
public final class ReshardBench {
    private static final int ITEMS = 9000;
    private static final int GROUPS = 3;
    private static final int COMMUNITY = 300;
    private static final long SEED = 1;
    private static final Path DIR = Path.of("logs", "bench-reshard");

    private ReshardBench() {}

    /** A row of the table: a mapping (part 0..GROUPS-1 per item index) and the time it took. */
    private record Result(int[] part, double ms, String note) {}

    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws IOException, InterruptedException {
        int transactions = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String gpmetis = System.getProperty("synod.gpmetis", "gpmetis");
        Files.createDirectories(DIR);
        System.out.printf(Locale.ROOT, "synod bench: resharding %d items on %d groups from %d transfers, %.0f%% imbalance"
                + " (METIS -ufactor=%d), %d cores, load average %.2f%n", ITEMS, GROUPS, transactions,
                100 * Partitioner.IMBALANCE, ufactor(), Runtime.getRuntime().availableProcessors(), loadAverage());
        System.out.println("history       partitioner                 cut (across)       imbalance   moved   CPU ms (wall)");
        BenchProgress.plan(3);
        for (String kind : List.of("communities", "zipf", "uniform")) {
            BenchProgress.point(kind);
            List<int[]> history = history(kind, transactions, new Random(SEED));
            Map<Long, Integer> edges = edges(history);
            Graph g = graph(edges);
            Result synod = synod(g);
            Result kway = metis(gpmetis, edges, kind, "kway");
            Result rb = metis(gpmetis, edges, kind, "rb");
            Result reshard = reshard(history);
            BenchProgress.clear();
            row(kind, "synod Partitioner", synod, history);
            row("", "gpmetis -ptype=kway", kway, history);
            row("", "gpmetis -ptype=rb", rb, history);
            row("", "synod Reshard (anchors)", reshard, history);
        }
        System.out.println("cut: transfers across groups (the weighted edge cut), of the whole history; imbalance: the"
                + " largest group over an equal share, less 1 (the bound allows " + (int) (100 * Partitioner.IMBALANCE)
                + "%); CPU ms: synod's is the planning thread's (partly interpreted until the JIT has compiled it:"
                + " the first rows are the slowest), for Reshard building the graph from the history included;"
                + " gpmetis's is its own \"Partitioning\" timer; wall ms in brackets (gpmetis: the whole process, reading the file included)");
    }

    static int ufactor() {
        return (int) Math.round(Partitioner.IMBALANCE * 1000);
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void row(String kind, String who, Result r, List<int[]> history) {
        if (r.part == null) {
            System.out.printf(Locale.ROOT, "%-13s %-27s %s%n", kind, who, r.note);
            return;
        }
        long across = history.stream().filter(t -> r.part[t[0]] != r.part[t[1]]).count();
        int[] sizes = new int[GROUPS];
        for (int p : r.part) {
            sizes[p]++;
        }
        double imbalance = (double) Arrays.stream(sizes).max().orElse(0) * GROUPS / ITEMS - 1;
        System.out.printf(Locale.ROOT, "%-13s %-27s %6d (%5.1f%%)   %8.2f%%   %5d   %6.0f%s%n", kind, who, across,
                100.0 * across / history.size(), 100 * imbalance, moved(r.part), r.ms, r.note);
    }

    /** The items a mapping moves from the ranges, its parts relabelled the way that moves the fewest. */
    static int moved(int[] part) {
        int best = Integer.MAX_VALUE;
        for (int[] perm : permutations(GROUPS)) {
            int m = 0;
            for (int i = 0; i < part.length; i++) {
                if (perm[part[i]] != range(i)) {
                    m++;
                }
            }
            best = Math.min(best, m);
        }
        return best;
    }

    private static List<int[]> permutations(int k) {
        List<int[]> out = new ArrayList<>();
        permute(new int[k], new boolean[k], 0, out);
        return out;
    }

    private static void permute(int[] p, boolean[] used, int i, List<int[]> out) {
        if (i == p.length) {
            out.add(p.clone());
            return;
        }
        for (int v = 0; v < p.length; v++) {
            if (!used[v]) {
                used[v] = true;
                p[i] = v;
                permute(p, used, i + 1, out);
                used[v] = false;
            }
        }
    }

    /** The group (0-based) of item index i in Project 3's ranges. */
    private static int range(int i) {
        return i / (ITEMS / GROUPS);
    }

    private static Result synod(Graph g) {
        long t0 = System.nanoTime();
        long c0 = CPU.getCurrentThreadCpuTime();
        int[] part = Partitioner.partition(g, GROUPS, Partitioner.IMBALANCE, SEED);
        return timed(part, t0, c0);
    }

    private static Result reshard(List<int[]> history) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            items.add(String.valueOf(i + 1));
        }
        List<List<String>> txns = new ArrayList<>(history.size());
        for (int[] t : history) {
            txns.add(List.of(items.get(t[0]), items.get(t[1])));
        }
        long t0 = System.nanoTime();
        long c0 = CPU.getCurrentThreadCpuTime();
        List<Reshard.Move> moves = Reshard.plan(items, s -> range(Integer.parseInt(s) - 1) + 1, txns, GROUPS, SEED);
        int[] part = new int[ITEMS];
        for (int i = 0; i < ITEMS; i++) {
            part[i] = range(i);
        }
        moves.forEach(m -> part[Integer.parseInt(m.item()) - 1] = m.to() - 1);
        return timed(part, t0, c0);
    }

    /** The CPU time of this thread since {@code c0}, and in brackets the wall time since {@code t0}. */
    private static Result timed(int[] part, long t0, long c0) {
        double wall = (System.nanoTime() - t0) / 1e6;
        return new Result(part, (CPU.getCurrentThreadCpuTime() - c0) / 1e6, String.format(Locale.ROOT, " (%.0f)", wall));
    }

    /** gpmetis on the graph written in METIS's format; a row saying why not if it cannot run. */
    private static Result metis(String gpmetis, Map<Long, Integer> edges, String kind, String ptype)
            throws IOException, InterruptedException {
        Path file = DIR.resolve(kind + ".graph");
        writeMetis(edges, ITEMS, file);
        Path out = DIR.resolve(kind + "." + ptype + ".gpmetis.txt");
        ProcessBuilder pb = new ProcessBuilder(gpmetis, "-ptype=" + ptype, "-ufactor=" + ufactor(), "-seed=" + SEED,
                file.toString(), String.valueOf(GROUPS)).redirectErrorStream(true).redirectOutput(out.toFile());
        long t0 = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(null, 0, "not run: " + gpmetis + " cannot start (" + e.getMessage() + ")");
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(null, 0, "not run: gpmetis took over 120 s");
        }
        double wall = (System.nanoTime() - t0) / 1e6;
        String report = Files.readString(out);
        if (p.exitValue() != 0) {
            return new Result(null, 0, "failed (exit " + p.exitValue() + "): see " + out);
        }
        Matcher m = Pattern.compile("Partitioning:\\s+([0-9.]+) sec").matcher(report);
        double ms = m.find() ? 1000 * Double.parseDouble(m.group(1)) : wall;
        int[] part = readParts(Path.of(file + ".part." + GROUPS), ITEMS);
        return new Result(part, ms, String.format(Locale.ROOT, " (%.0f)", wall));
    }

    /**
     * METIS's graph format (METIS 5 manual, section 4.1.1): a header "n m 001" (n vertices, m
     * undirected edges, edge weights present), then for vertex 1..n a line of its neighbours
     * (1-based), each followed by the edge's weight; a vertex with no edge has an empty line.
     */
    static void writeMetis(Map<Long, Integer> edges, int n, Path file) throws IOException {
        List<List<int[]>> adj = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            adj.add(new ArrayList<>());
        }
        edges.forEach((key, w) -> {
            int u = (int) (key >>> 32);
            int v = (int) (long) key;
            adj.get(u).add(new int[] {v, w});
            adj.get(v).add(new int[] {u, w});
        });
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            out.write(n + " " + edges.size() + " 001\n");
            for (List<int[]> a : adj) {
                StringBuilder line = new StringBuilder();
                for (int[] e : a) {
                    if (line.length() > 0) {
                        line.append(' ');
                    }
                    line.append(e[0] + 1).append(' ').append(e[1]);
                }
                out.write(line.append('\n').toString());
            }
        }
    }

    /** gpmetis's output: line i is vertex i's part, 0..k-1. */
    static int[] readParts(Path file, int n) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.size() != n) {
            throw new IllegalStateException(file + " has " + lines.size() + " lines for " + n + " vertices");
        }
        int[] part = new int[n];
        for (int i = 0; i < n; i++) {
            part[i] = Integer.parseInt(lines.get(i).trim());
            if (part[i] < 0 || part[i] >= GROUPS) {
                throw new IllegalStateException(file + " line " + (i + 1) + ": part " + part[i]);
            }
        }
        return part;
    }

    /** The transfers between each pair of distinct items, keyed by (smaller << 32 | larger). */
    static Map<Long, Integer> edges(List<int[]> history) {
        Map<Long, Integer> edges = new HashMap<>();
        for (int[] t : history) {
            if (t[0] != t[1]) {
                long key = ((long) Math.min(t[0], t[1]) << 32) | Math.max(t[0], t[1]);
                edges.merge(key, 1, Integer::sum);
            }
        }
        return edges;
    }

    private static Graph graph(Map<Long, Integer> edges) {
        Graph.Builder b = new Graph.Builder(ITEMS);
        edges.forEach((key, w) -> b.edge((int) (key >>> 32), (int) (long) key, w));
        return b.build();
    }

    /** {@code n} transfers, each the indices (0..ITEMS-1) of its two items. */
    static List<int[]> history(String kind, int n, Random r) {
        Zipfian zipf = kind.equals("zipf") ? new Zipfian(ITEMS, Zipfian.MAX_SKEW, r.nextLong()) : null;
        List<int[]> h = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            switch (kind) {
                case "communities" -> {
                    int u = r.nextInt(ITEMS);
                    int v = r.nextDouble() < 0.9 ? (u / COMMUNITY) * COMMUNITY + r.nextInt(COMMUNITY) : r.nextInt(ITEMS);
                    h.add(new int[] {scatter(u), scatter(v)});
                }
                case "zipf" -> h.add(new int[] {zipf.next(r), zipf.next(r)});
                case "uniform" -> h.add(new int[] {r.nextInt(ITEMS), r.nextInt(ITEMS)});
                default -> throw new IllegalArgumentException(kind);
            }
        }
        return h;
    }

    /** Index u after the fixed scattering (7919 is prime to 9000, so this is a permutation). */
    private static int scatter(int u) {
        return (int) ((u * 7919L) % ITEMS);
    }
}
