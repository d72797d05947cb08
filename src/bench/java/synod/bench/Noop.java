package synod.bench;

/** A JVM that starts and exits: the floor under every node's start-up time. */
public final class Noop {
    private Noop() {}

    public static void main(String[] args) {
        // nothing: the benchmark measures what it costs to get here
    }
}
