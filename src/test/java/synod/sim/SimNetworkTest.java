package synod.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import synod.runtime.Control;

/** The simulator's latency knob (delay plus seeded jitter, the runtime's {@link synod.core.LinkDelay}). */
class SimNetworkTest {
    /** Sends 300 messages, a burst of three pairs at each delivery, and returns (seq, sent at, delivered at). */
    private static List<long[]> run(long seed, long delay, long jitter) {
        SimNetwork net = new SimNetwork(new Random(seed), delay, jitter);
        List<long[]> out = new ArrayList<>();
        java.util.Map<Long, Long> sentAt = new java.util.TreeMap<>();
        long sent = 0;
        while (sent < 300 || !net.isEmpty()) {
            if (sent < 300) {
                for (String to : List.of("b", "c", "d")) {
                    net.send("a", to, new Control.Campaign());
                    sentAt.put(++sent, net.now());
                }
            }
            SimNetwork.Packet p = net.next();
            out.add(new long[] {p.seq(), sentAt.get(p.seq()), p.deliverAt(), p.to().charAt(0)});
        }
        return out;
    }

    @Test
    void messagesArriveAfterTheDelayWithinTheJitterEachPairFifoAndASeedReplays() {
        List<long[]> out = run(9, 40, 10);
        assertEquals(300, out.size());
        long[] lastSeq = new long[128];
        for (long[] p : out) {
            long late = p[2] - p[1];
            assertTrue(late >= 40, "packet " + p[0] + " only " + late + " ticks late");
            assertTrue(p[0] > lastSeq[(int) p[3]], "pair a-" + (char) p[3] + " reordered at packet " + p[0]);
            lastSeq[(int) p[3]] = p[0];
        }
        // Held behind nothing (the first on each pair), a packet is at most delay + jitter late.
        assertTrue(out.stream().filter(p -> p[0] <= 3).allMatch(p -> p[2] - p[1] <= 50));
        List<long[]> again = run(9, 40, 10);
        for (int i = 0; i < out.size(); i++) {
            assertEquals(List.of(out.get(i)[0], out.get(i)[2]), List.of(again.get(i)[0], again.get(i)[2]));
        }
    }
}
