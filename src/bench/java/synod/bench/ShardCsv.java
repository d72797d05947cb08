package synod.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import synod.app.Op;

/**
 * Writes a benchmark mix's transactions as a CSE535 Project 3 test file ({@code bin/master FILE.csv}
 * replays it): one set on every node of the 3x3 layout, a transfer as {@code "(S, R, 1)"}, a balance
 * read as {@code (S)}. The file's items start with 10 there (the Project 3 FLUSH), not with the
 * benchmark's large balances, so a replay may print "failed: insufficient balance" for a hot item.
 */
final class ShardCsv {
    private static final String LIVE = "\"[n1, n2, n3, n4, n5, n6, n7, n8, n9]\"";

    private ShardCsv() {}

    /** The first {@code count} requests a generator seeded {@code seed} draws for one client, in order. */
    static void write(Path file, ShardMix.Generator gen, int count, long seed) throws IOException {
        Random r = new Random(seed);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("Set Number,Transactions,Live Nodes\n");
            for (int i = 0; i < count; i++) {
                w.write(i == 0 ? "1," : ",");
                w.write(cell(gen.next(r).op()));
                w.write(i == 0 ? "," + LIVE + "\n" : ",\n");
            }
        }
    }

    static String cell(Op op) {
        if (op instanceof Op.Transfer t) {
            return "\"(" + t.from() + ", " + t.to() + ", " + t.amount() + ")\"";
        }
        if (op instanceof Op.Balance b) {
            return "(" + b.account() + ")";
        }
        throw new IllegalArgumentException("a Project 3 file holds transfers and balance reads, not " + op);
    }
}
