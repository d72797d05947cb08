package synod.check;

import synod.core.NodeIds;

/** A directed FIFO channel of the oracle's model, ordered by source then destination in reading order. */
record Chan(String from, String to) implements Comparable<Chan> {
    @Override
    public int compareTo(Chan o) {
        int c = NodeIds.ORDER.compare(from, o.from);
        return c != 0 ? c : NodeIds.ORDER.compare(to, o.to);
    }
}
