package synod.check;

/**
 * A message waiting on a channel in the oracle's model: a transfer of {@code value} money, or the
 * marker of snapshot number {@code value}. Immutable, so queues can be copied shallowly.
 */
record Msg(boolean marker, long value) {
    static Msg transfer(long amount) {
        return new Msg(false, amount);
    }

    static Msg marker(long snapshot) {
        return new Msg(true, snapshot);
    }
}
