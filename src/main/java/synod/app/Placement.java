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
 * <p>Invariant: ranges never overlap (a later placement replaces the earlier one whole).
 */
public final class Placement {
    private static final ObjectMapper JSON = new ObjectMapper();
    private List<Op.Range> ranges = List.of();

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

    /** The group holding {@code item}, or 0 if no range covers it. */
    public int groupOf(String item) {
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
        return !ranges.isEmpty();
    }

    JsonNode snapshot() {
        return JSON.valueToTree(ranges);
    }

    void restore(JsonNode snapshot) {
        ranges = snapshot == null || snapshot.isNull() ? List.of()
                : List.copyOf(JSON.<List<Op.Range>>convertValue(snapshot,
                        TypeFactory.defaultInstance().constructCollectionType(List.class, Op.Range.class)));
    }
}
