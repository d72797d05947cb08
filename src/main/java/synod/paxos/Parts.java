package synod.paxos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Cuts what a node sends into messages below the frame limit (ARCHITECTURE "The edge": everything a
 * node builds for the wire is chunked below it). Only three messages carry lists that can grow past
 * a frame; each is cut by bytes, as {@link WireSize} counts them:
 * <ul>
 *   <li>a Promise, into parts the candidate puts back together ({@link PromiseParts}) before it counts it;</li>
 *   <li>a NewView, into several NewViews of the same ballot, each a phase 2a of its own slots;</li>
 *   <li>a CatchUpReply: the decided slots that fit one frame (the peer asks again for the rest),
 *       after its checkpoint in {@link PaxosMsg.CheckpointPart}s when that does not fit
 *       ({@link CheckpointParts} puts it back together).</li>
 * </ul>
 * Accepts need no cutting: the leader's batches are within a frame, one slot each. Pure, and cheap
 * for every other message: it is returned as it is.
 *
 * <p>Invariant: every message returned encodes to at most {@code frameBytesMax} bytes.
 */
final class Parts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int budget;
    /** The last message cut and its parts: a broadcast cuts once, and each peer gets the same parts. */
    private PaxosMsg lastIn;
    private List<PaxosMsg> lastOut;
    /** The checkpoint last encoded: a replica sends the same one to every peer that asks. */
    private JsonNode lastCheckpoint;
    private byte[] lastCheckpointBytes;

    Parts(int frameBytesMax) {
        this.budget = WireSize.entriesBudget(frameBytesMax);
    }

    /** {@code m} as messages that each fit a frame. */
    List<PaxosMsg> of(PaxosMsg m) {
        if (!(m instanceof PaxosMsg.Promise || m instanceof PaxosMsg.NewView || m instanceof PaxosMsg.CatchUpReply)) {
            return List.of(m);
        }
        if (m != lastIn) {
            lastOut = cut(m);
            lastIn = m;
        }
        return lastOut;
    }

    private List<PaxosMsg> cut(PaxosMsg m) {
        if (m instanceof PaxosMsg.Promise p) {
            List<List<PValue>> chunks = chunks(p.accepted());
            if (chunks.size() == 1) {
                return List.of(m);
            }
            List<PaxosMsg> parts = new ArrayList<>();
            for (int i = 0; i < chunks.size(); i++) {
                parts.add(new PaxosMsg.Promise(p.ballot(), p.fromSlot(), chunks.get(i), p.checkpointSlot(), i,
                        chunks.size()));
            }
            return parts;
        }
        if (m instanceof PaxosMsg.NewView v) {
            List<List<PValue>> chunks = chunks(v.entries());
            if (chunks.size() == 1) {
                return List.of(m);
            }
            List<PaxosMsg> parts = new ArrayList<>();
            chunks.forEach(c -> parts.add(new PaxosMsg.NewView(v.ballot(), v.fromSlot(), c)));
            return parts;
        }
        return catchUp((PaxosMsg.CatchUpReply) m);
    }

    private List<PaxosMsg> catchUp(PaxosMsg.CatchUpReply r) {
        List<PaxosMsg> out = new ArrayList<>();
        int room = budget;
        JsonNode inline = r.checkpoint();
        if (inline != null) {
            byte[] json = bytes(inline);
            if (json.length <= budget) {
                room -= json.length;
            } else {
                out.addAll(checkpointParts(r.checkpointSlot(), json));
                inline = null;
            }
        }
        List<PValue> fit = new ArrayList<>();
        for (PValue pv : r.decided()) {
            room -= WireSize.pvalue(pv) + 1;
            if (room < 0) {
                break; // the peer asks again from where this reply leaves it
            }
            fit.add(pv);
        }
        if (out.isEmpty() && fit.size() == r.decided().size()) {
            return List.of(r);
        }
        out.add(new PaxosMsg.CatchUpReply(r.fromSlot(), fit, r.checkpointSlot(), inline));
        return out;
    }

    /** A checkpoint's JSON in parts whose base64 fits a frame's budget. */
    private List<PaxosMsg> checkpointParts(long slot, byte[] json) {
        int chunk = budget / 4 * 3;
        List<PaxosMsg> parts = new ArrayList<>();
        Base64.Encoder b64 = Base64.getEncoder();
        for (int off = 0; off < json.length; off += chunk) {
            int n = Math.min(chunk, json.length - off);
            byte[] piece = java.util.Arrays.copyOfRange(json, off, off + n);
            parts.add(new PaxosMsg.CheckpointPart(slot, off, json.length, b64.encodeToString(piece)));
        }
        return parts;
    }

    /** Consecutive runs of {@code entries}, each run's entries (and commas) within the budget. */
    private List<List<PValue>> chunks(List<PValue> entries) {
        List<List<PValue>> chunks = new ArrayList<>();
        List<PValue> run = new ArrayList<>();
        long used = 0;
        for (PValue pv : entries) {
            int size = WireSize.pvalue(pv) + 1;
            if (!run.isEmpty() && used + size > budget) {
                chunks.add(run);
                run = new ArrayList<>();
                used = 0;
            }
            run.add(pv);
            used += size;
        }
        chunks.add(run);
        return chunks;
    }

    private byte[] bytes(JsonNode checkpoint) {
        if (checkpoint != lastCheckpoint) {
            try {
                lastCheckpointBytes = JSON.writeValueAsBytes(checkpoint);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot encode a checkpoint", e);
            }
            lastCheckpoint = checkpoint;
        }
        return lastCheckpointBytes;
    }
}
