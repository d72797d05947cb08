package synod.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;
import java.util.ArrayList;
import java.util.List;
import synod.core.NodeIds;

/**
 * Which group holds which item, as the master placed them ({@link Op.Place}): part of every group's
 * replicated state, so a group's leader knows where the other items of a transaction live. Empty
 * means one group holds everything (the unsharded services).
 *
 * <p>Items moved by resharding ({@link #move}) leave their range: a move, committed by two-phase
 * commit in every group at once, records the item's new group here, over the ranges, and counts one
 * more version. Every replica of every group applies the same moves, so once quiet every node holds
 * the same mapping and the same version.
 *
 * <p>Invariant: ranges never overlap (a later placement replaces the earlier one whole; the moves
 * stay, since they were made after the items were placed).
 */
public final class Placement {
    private static final ObjectMapper JSON = new ObjectMapper();
    private List<Op.Range> ranges = List.of();
    /** Items a move took out of their range, and the group each is in now. */
    private final java.util.TreeMap<String, Integer> moved = new java.util.TreeMap<>(NodeIds.ORDER);
    /** How many moves this mapping has taken since its first placement. */
    private long version;

    /** Replaces the placement; refuses overlapping or inverted ranges, changing nothing. */
    public Result apply(Op.Place p) {
        if (OpCheck.missing(p) != null) {
            return OpCheck.refusal("placement", p);
        }
        List<Op.Range> sorted = new ArrayList<>(p.ranges());
        sorted.sort((a, b) -> NodeIds.ORDER.compare(a.first(), b.first()));
        for (int i = 0; i < sorted.size(); i++) {
            Op.Range r = sorted.get(i);
            if (NodeIds.ORDER.compare(r.first(), r.last()) > 0) {
                return new Result.Aborted("bad placement: " + r.first() + ".." + r.last() + " is empty");
            }
            if (i > 0 && NodeIds.ORDER.compare(sorted.get(i - 1).last(), r.first()) >= 0) {
                return new Result.Aborted("bad placement: ranges overlap at " + r.first());
            }
        }
        ranges = List.copyOf(sorted);
        return new Result.Ok();
    }

    /** Records that {@code item} is in group {@code group} from now on (a committed move). */
    public void move(String item, int group) {
        moved.put(item, group);
        version++;
    }

    /** How many moves this mapping has taken. */
    public long version() {
        return version;
    }

    /** The moved items and the group each is in now, in item order. */
    public java.util.SortedMap<String, Integer> moved() {
        return java.util.Collections.unmodifiableSortedMap(moved);
    }

    /** A copy of this mapping: its ranges and its moves. */
    public Placement copy() {
        Placement p = new Placement();
        p.restore(snapshot());
        return p;
    }

    /** The group holding {@code item}, or 0 if no range covers it and no move placed it. */
    public int groupOf(String item) {
        Integer m = moved.get(item);
        if (m != null) {
            return m;
        }
        return rangeOf(item);
    }

    private int rangeOf(String item) {
        int lo = 0;
        int hi = ranges.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Op.Range r = ranges.get(mid);
            if (NodeIds.ORDER.compare(item, r.first()) < 0) {
                hi = mid - 1;
            } else if (NodeIds.ORDER.compare(item, r.last()) > 0) {
                lo = mid + 1;
            } else {
                return r.group();
            }
        }
        return 0;
    }

    public boolean sharded() {
        return !ranges.isEmpty() || !moved.isEmpty();
    }

    JsonNode snapshot() {
        com.fasterxml.jackson.databind.node.ObjectNode n = JSON.createObjectNode();
        n.set("ranges", JSON.valueToTree(ranges));
        n.set("moved", JSON.valueToTree(moved));
        n.put("version", version);
        return n;
    }

    /** Takes this snapshot, or one written before moves existed (the ranges alone, as an array). */
    void restore(JsonNode snapshot) {
        moved.clear();
        version = 0;
        if (snapshot == null || snapshot.isNull()) {
            ranges = List.of();
            return;
        }
        JsonNode r = snapshot.isArray() ? snapshot : snapshot.get("ranges");
        ranges = List.copyOf(JSON.<List<Op.Range>>convertValue(r,
                TypeFactory.defaultInstance().constructCollectionType(List.class, Op.Range.class)));
        if (snapshot.isObject()) {
            snapshot.get("moved").fields().forEachRemaining(e -> moved.put(e.getKey(), e.getValue().asInt()));
            version = snapshot.get("version").asLong();
        }
    }
}
