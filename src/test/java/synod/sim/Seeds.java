package synod.sim;

/**
 * Which seeds a simulation test runs: {@code -Dsim.seed=N} replays exactly seed N (what
 * {@code make sim SEED=N} passes), {@code -Dsim.seeds=K} runs seeds 1..K, and without either the
 * test's default count runs. One place for the contract every simulation test and the Makefile use.
 */
record Seeds(long first, long count) {
    static Seeds fromProperties(long defaultCount) {
        String one = System.getProperty("sim.seed");
        return one != null ? new Seeds(Long.parseLong(one), 1) : new Seeds(1, Long.getLong("sim.seeds", defaultCount));
    }

    long end() {
        return first + count;
    }
}
