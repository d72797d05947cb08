package synod.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole cluster as a node knows it: every group's members, in order (group {@code g}, 1-based,
 * holds {@code n((g-1)R+1) .. n(gR)} in a {@code GxR} layout). A node needs it to reach the other
 * groups' nodes (two-phase commit); a node started without one knows only its own group.
 *
 * <p>Invariant: groups are non-empty and no node is in two of them.
 */
public record Layout(List<List<String>> groups) {
    public Layout {
        List<List<String>> copy = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (List<String> g : groups) {
            if (g.isEmpty()) {
                throw new IllegalArgumentException("a layout's group is empty: " + groups);
            }
            for (String n : g) {
                if (!seen.add(n)) {
                    throw new IllegalArgumentException("node " + n + " is in two groups of " + groups);
                }
            }
            copy.add(List.copyOf(g));
        }
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("a layout has at least one group");
        }
        groups = List.copyOf(copy);
    }

    /** {@code G} groups of {@code R} nodes: n1..nR, n(R+1)..n(2R), ... */
    public static Layout of(int g, int r) {
        if (g < 1 || r < 1) {
            throw new IllegalArgumentException("a layout is at least 1x1, got " + g + "x" + r);
        }
        List<List<String>> groups = new ArrayList<>();
        for (int i = 0; i < g; i++) {
            List<String> members = new ArrayList<>();
            for (int k = i * r + 1; k <= (i + 1) * r; k++) {
                members.add("n" + k);
            }
            groups.add(members);
        }
        return new Layout(groups);
    }

    /** "3x3" (also "3X3"): 3 groups of 3 nodes. */
    public static Layout parse(String gxr) {
        String[] p = gxr.strip().toLowerCase(java.util.Locale.ROOT).split("x");
        if (p.length != 2 || !p[0].matches("\\d{1,3}") || !p[1].matches("\\d{1,3}")) {
            throw new IllegalArgumentException("a layout is GxR (groups x replicas), like 3x3; got '" + gxr + "'");
        }
        return of(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
    }

    /** The layout of a node told only its own group: that group is the whole cluster. */
    public static Layout single(List<String> group) {
        return new Layout(List.of(group));
    }

    /** The members of group {@code g} (1-based). */
    public List<String> group(int g) {
        return groups.get(g - 1);
    }

    /** The 1-based group of {@code node}, or 0 if it is in none. */
    public int groupOf(String node) {
        for (int i = 0; i < groups.size(); i++) {
            if (groups.get(i).contains(node)) {
                return i + 1;
            }
        }
        return 0;
    }

    /** Every node of the cluster, group by group. */
    public List<String> nodes() {
        return groups.stream().flatMap(List::stream).toList();
    }

    /** "3x3" when every group is the regular {@code GxR} shape, else the groups themselves. */
    @Override
    public String toString() {
        int r = groups.get(0).size();
        return equals(of(groups.size(), r)) ? groups.size() + "x" + r : groups.toString();
    }
}
