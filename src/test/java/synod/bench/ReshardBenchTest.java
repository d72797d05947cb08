package synod.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReshardBenchTest {
    @TempDir
    Path dir;

    @Test
    void theGraphIsWrittenInMetisFormatParallelTransfersSummedSelfTransfersDropped() throws Exception {
        // transfers 0-1 twice (once each way), 1-2 once, 3-3 (a self-transfer: no edge); vertex 4 untouched
        Map<Long, Integer> edges = ReshardBench.edges(List.of(new int[] {0, 1}, new int[] {1, 0}, new int[] {1, 2},
                new int[] {3, 3}));
        Path file = dir.resolve("g.graph");
        ReshardBench.writeMetis(edges, 5, file);
        assertEquals(List.of("5 2 001", "2 2", "1 2 3 1", "2 1", "", ""), Files.readAllLines(file),
                "header n m 001, then each vertex's 1-based neighbours with the edge weights");
    }

    @Test
    void gpmetisPartsAreReadAndCheckedAgainstTheVertexCountAndPartRange() throws Exception {
        Path parts = dir.resolve("g.graph.part.3");
        Files.write(parts, List.of("0", "2", "1"));
        assertArrayEquals(new int[] {0, 2, 1}, ReshardBench.readParts(parts, 3));
        assertThrows(IllegalStateException.class, () -> ReshardBench.readParts(parts, 4));
        Files.write(parts, List.of("0", "3", "1"));
        assertThrows(IllegalStateException.class, () -> ReshardBench.readParts(parts, 3));
    }

    @Test
    void movedCountsAgainstTheRangesUnderTheBestRelabelling() {
        int[] ranges = new int[9000];
        for (int i = 0; i < ranges.length; i++) {
            ranges[i] = i / 3000;
        }
        assertEquals(0, ReshardBench.moved(ranges));
        int[] relabelled = ranges.clone();
        for (int i = 0; i < relabelled.length; i++) {
            relabelled[i] = (relabelled[i] + 1) % 3; // the same groups under other names: nothing moves
        }
        assertEquals(0, ReshardBench.moved(relabelled));
        relabelled[0] = relabelled[3000];
        assertEquals(1, ReshardBench.moved(relabelled));
    }

    @Test
    void benchProgressSaysWhichPointOfHowManyAndTheTimeElapsed() {
        assertEquals("bin/bench: point 3 of 6 (16 clients), 42.1 s elapsed",
                BenchProgress.line(3, 6, "16 clients", 42_100_000_000L));
        assertEquals("bin/bench: before the first of 6 points (warming up), 1.0 s elapsed",
                BenchProgress.line(0, 6, "warming up", 1_000_000_000L));
    }
}
