package synod.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * The faults of a {@link TxnSim}, tick by tick, beyond those of each step ({@link SimCluster}): crashes
 * of any node and of each group's leader between steps, restarts, a whole group losing its majority
 * for a while (long enough, often, for the coordinators that need it to time out, and for the
 * participants that wait on it to ask), and partitions of four shapes: part of one group, one whole
 * group cut off from the others, a leader alone, any set of nodes.
 *
 * <p>Invariant: every choice is a draw from the world's one seeded {@link Random}; once {@link #heal}
 * ran, no fault is left: every node is up, no partition, a network that delays but loses nothing.
 */
final class TxnFaults {
    private final SimCluster world;
    private final Random random;
    private final List<List<String>> groups;
    private final int timeoutTicks;
    private final int delayTicksMax;
    private final double crashPerTick;
    private final double outagePerTick;
    /** The tick at which the group outage in progress ends; 0 when none. */
    private long outageEnd;
    private long outages;

    TxnFaults(SimCluster world, List<List<String>> groups, int timeoutTicks, int delayTicksMax, double crashPerTick,
              double outagePerTick) {
        this.world = world;
        this.random = world.random;
        this.groups = groups;
        this.timeoutTicks = timeoutTicks;
        this.delayTicksMax = delayTicksMax;
        this.crashPerTick = crashPerTick;
        this.outagePerTick = outagePerTick;
    }

    long outages() {
        return outages;
    }

    /** This tick's faults. */
    void inject() {
        long now = world.now();
        for (PaxosHost n : world.nodes().values()) {
            if (n.up() && random.nextDouble() < crashPerTick) {
                world.event("crash between steps", n.id);
                world.crash(n);
            } else if (!n.up() && now >= n.downUntil()) {
                world.event("restart", n.id);
                n.start(random.nextLong());
            }
        }
        for (List<String> ids : groups) {
            String leader = world.leaderAmong(ids);
            if (leader != null && random.nextDouble() < crashPerTick) {
                world.event("crash the leader", leader);
                world.crash(world.node(leader));
            }
        }
        if (now >= outageEnd && random.nextDouble() < outagePerTick) {
            groupDown(now);
        }
        if (world.partitioned()) {
            world.healPartitionIfDue();
        } else if (random.nextDouble() < 0.01) {
            world.cutOff(island(), now + 10 + random.nextInt(100));
        }
    }

    /**
     * A group loses its majority (R=1: its one node) for up to twice the 2PC timeout: as a participant,
     * its coordinators time out; as a coordinator, its prepared participants wait and ask.
     */
    private void groupDown(long now) {
        List<String> ids = new ArrayList<>(groups.get(random.nextInt(groups.size())));
        Collections.shuffle(ids, random);
        int down = ids.size() == 1 ? 1 : 2 + random.nextInt(2);
        outageEnd = now + 20 + random.nextInt(2 * timeoutTicks);
        outages++;
        world.event("group down until t=" + outageEnd, ids.subList(0, down));
        for (String id : ids.subList(0, down)) {
            world.crash(world.node(id), outageEnd);
        }
    }

    /** Part of one group, a whole group, a leader alone, or any nodes: who is cut off from the rest. */
    private TreeSet<String> island() {
        List<String> group = groups.get(random.nextInt(groups.size()));
        switch (random.nextInt(4)) {
            case 0 -> {
                List<String> ids = new ArrayList<>(group);
                Collections.shuffle(ids, random);
                return new TreeSet<>(ids.subList(0, ids.size() == 1 ? 1 : 1 + random.nextInt(ids.size() - 1)));
            }
            case 1 -> {
                return new TreeSet<>(group);
            }
            case 2 -> {
                String leader = world.leaderAmong(group);
                if (leader != null) {
                    return new TreeSet<>(List.of(leader)); // still believing it leads, and acting for 2PC
                }
                return new TreeSet<>(group);
            }
            default -> {
                List<String> ids = new ArrayList<>(world.nodes().keySet());
                Collections.shuffle(ids, random);
                return new TreeSet<>(ids.subList(0, 1 + random.nextInt(ids.size() - 1)));
            }
        }
    }

    /** The faults stop: the network heals and loses nothing more, every node is up. */
    void heal() {
        world.event("faults stop: the network heals, every node is up");
        world.healAll();
        world.net.setFaults(0, 0, delayTicksMax, 0);
        for (PaxosHost n : world.nodes().values()) {
            if (!n.up()) {
                n.start(random.nextLong());
            }
        }
    }
}
