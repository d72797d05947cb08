package synod.paxos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.TreeMap;
import synod.core.BadMessage;

/**
 * Puts back together a checkpoint a peer sent in parts ({@link PaxosMsg.CheckpointPart}), one per
 * sender. The parts of one catch-up leave in order on the sender's FIFO channel, but a lost part is
 * only sent again with the next catch-up, and a datagram network (the simulator's) reorders and
 * duplicates: so parts are held by offset, a duplicate is ignored, and the checkpoint is whole once
 * its parts cover it end to end. A part of another checkpoint (another slot or size) drops what was
 * held. Memory: at most one partial checkpoint per peer, no more than its total, which the edge bounds.
 */
public final class CheckpointParts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final class Partial {
        final long slot;
        final long total;
        final TreeMap<Long, byte[]> parts = new TreeMap<>();
        long held;

        Partial(long slot, long total) {
            this.slot = slot;
            this.total = total;
        }
    }

    private final TreeMap<String, Partial> partials = new TreeMap<>();

    /** The checkpoint once its last part is in, else null. A part no correct peer sends is a BadMessage. */
    JsonNode add(String from, PaxosMsg.CheckpointPart p) {
        byte[] data;
        try {
            data = Base64.getDecoder().decode(p.data());
        } catch (IllegalArgumentException e) {
            throw new BadMessage("a checkpoint part from " + from + " is not base64");
        }
        if (data.length == 0 || p.offset() + data.length > p.total()) {
            throw new BadMessage("a checkpoint part from " + from + " is empty or overruns its total");
        }
        Partial have = partials.get(from);
        if (have == null || have.slot != p.slot() || have.total != p.total()) {
            have = new Partial(p.slot(), p.total());
            partials.put(from, have);
        }
        if (have.parts.putIfAbsent(p.offset(), data) == null) {
            have.held += data.length;
        }
        if (have.held < have.total) {
            return null;
        }
        partials.remove(from);
        byte[] whole = new byte[(int) have.total];
        long at = 0;
        for (var e : have.parts.entrySet()) {
            if (e.getKey() != at || at + e.getValue().length > whole.length) {
                throw new BadMessage("the checkpoint parts from " + from + " overlap");
            }
            System.arraycopy(e.getValue(), 0, whole, (int) at, e.getValue().length);
            at += e.getValue().length;
        }
        JsonNode c;
        try {
            c = JSON.readTree(whole);
        } catch (IOException e) {
            throw new BadMessage("the checkpoint " + from + " sent in parts is not JSON");
        }
        String why = problem(c);
        if (why != null) {
            throw new BadMessage("the checkpoint " + from + " sent in parts: " + why);
        }
        return c;
    }

    /**
     * Why {@code c} does not read as a checkpoint (the slot it is at, the service's state, the
     * exactly-once table, as {@link Replica#install} reads them), or null. What the state holds
     * inside is the service's own business.
     */
    public static String problem(JsonNode c) {
        if (c == null || !c.isObject() || !c.path("slot").canConvertToExactIntegral() || c.path("slot").asLong() < 0
                || !c.path("state").isObject() || !c.path("clients").isObject()) {
            return "a checkpoint is an object with a slot, a state and a clients table";
        }
        for (JsonNode e : c.get("clients")) {
            if (!e.isObject() || !e.path("seq").canConvertToExactIntegral() || !e.path("result").isObject()) {
                return "a checkpoint's clients table maps each client to its last seq and result";
            }
        }
        return null;
    }
}
