package synod.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import synod.core.Check;

/**
 * Layer 1: the Chandy-Lamport {@link Recorder} of node "1" with incoming channels from "2", "3"
 * and "4", one call at a time, asserting the exact {@link BankMsg.Report} after each.
 */
class RecorderTest {
    static final List<String> PEERS = List.of("2", "3", "4");

    static BankMsg.Report report(long seq, long snap, Long state, Map<String, Long> channels, List<String> open) {
        return new BankMsg.Report(seq, snap, state, channels, open);
    }

    @Test
    void nothingIsRecordedBeforeAnySnapshot() {
        Recorder r = new Recorder();
        r.onTransfer("2", 10);
        assertEquals(0, r.snapshot());
        assertEquals(report(1, 1, null, Map.of(), List.of()), r.report(1, 1));
    }

    @Test
    void beginRecordsTheStateAndOpensEveryChannel() {
        Recorder r = new Recorder();
        r.begin(1, 500, PEERS);
        assertEquals(1, r.snapshot());
        assertEquals(report(7, 1, 500L, Map.of("2", 0L, "3", 0L, "4", 0L), List.of("2", "3", "4")), r.report(7, 1));
    }

    @Test
    void firstMarkerRecordsReportsTrueAndLeavesItsOwnChannelEmpty() {
        Recorder r = new Recorder();
        assertTrue(r.onMarker("3", 1, 250, PEERS));
        // The marker's channel is empty by definition: everything before the marker was sent pre-record.
        assertEquals(report(1, 1, 250L, Map.of("2", 0L, "3", 0L, "4", 0L), List.of("2", "4")), r.report(1, 1));
    }

    @Test
    void laterMarkerClosesOnlyItsChannel() {
        Recorder r = new Recorder();
        r.onMarker("3", 1, 250, PEERS);
        assertFalse(r.onMarker("2", 1, 999, PEERS));
        assertEquals(report(1, 1, 250L, Map.of("2", 0L, "3", 0L, "4", 0L), List.of("4")), r.report(1, 1));
        assertFalse(r.onMarker("4", 1, 999, PEERS));
        assertEquals(report(2, 1, 250L, Map.of("2", 0L, "3", 0L, "4", 0L), List.of()), r.report(2, 1));
    }

    @Test
    void transfersAreCountedOnlyOnOpenChannels() {
        Recorder r = new Recorder();
        r.onTransfer("2", 1000); // before recording: part of the state, not of a channel
        r.onMarker("3", 1, 250, PEERS);
        r.onTransfer("3", 7); // the marker's channel: closed from the start
        r.onTransfer("2", 10);
        r.onTransfer("2", 5);
        r.onTransfer("4", 1);
        r.onMarker("2", 1, 0, PEERS);
        r.onTransfer("2", 100); // after its marker: no longer recorded
        r.onTransfer("4", 2);
        assertEquals(report(3, 1, 250L, Map.of("2", 15L, "3", 0L, "4", 3L), List.of("4")), r.report(3, 1));
    }

    @Test
    void staleMarkersOfAnOlderSnapshotAreIgnored() {
        Recorder r = new Recorder();
        r.begin(2, 40, PEERS);
        assertFalse(r.onMarker("2", 1, 999, PEERS));
        r.onTransfer("2", 6); // channel 2 must still be open for snapshot 2
        assertEquals(2, r.snapshot());
        assertEquals(report(1, 2, 40L, Map.of("2", 6L, "3", 0L, "4", 0L), List.of("2", "3", "4")), r.report(1, 2));
    }

    @Test
    void aNewerSnapshotSupersedesTheCurrentOne() {
        Recorder r = new Recorder();
        r.begin(1, 40, PEERS);
        r.onTransfer("2", 6);
        r.onMarker("3", 1, 0, PEERS);
        assertTrue(r.onMarker("4", 2, 46, PEERS));
        assertEquals(2, r.snapshot());
        assertEquals(report(1, 2, 46L, Map.of("2", 0L, "3", 0L, "4", 0L), List.of("2", "3")), r.report(1, 2));
        // The superseded snapshot is gone: asking for it yields no state.
        assertEquals(report(2, 1, null, Map.of(), List.of()), r.report(2, 1));
    }

    @Test
    void beginOfASnapshotThatIsNotNewBreaksAnInvariant() {
        Recorder r = new Recorder();
        r.begin(3, 1, PEERS);
        assertThrows(Check.InvariantViolation.class, () -> r.begin(3, 1, PEERS));
        assertThrows(Check.InvariantViolation.class, () -> r.begin(2, 1, PEERS));
    }

    @Test
    void aNodeWithoutPeersRecordsOnlyItsState() {
        Recorder r = new Recorder();
        r.begin(1, 9, List.of());
        assertEquals(report(1, 1, 9L, Map.of(), List.of()), r.report(1, 1));
    }
}
