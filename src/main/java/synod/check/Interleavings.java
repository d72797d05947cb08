package synod.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether some interleaving of a Project 3 set's requests explains the outcomes printed: segment by
 * segment (a barrier orders everything), the requests that run in a segment are ordered in any way
 * that keeps each client's file order, and along that order a committed transfer finds the sender
 * holding the amount, a refused one finds it short, and a read finds the value it printed. Clients
 * whose requests touch no common item are independent, so each connected group of them is
 * searched on its own: depth first over how far each client got, never visiting a state twice.
 */
final class Interleavings {
    /** More states than {@link #STATES_MAX} in one search: the checker cannot decide. */
    static final class TooLarge extends RuntimeException {
        TooLarge(String what) {
            super(what);
        }
    }

    static final int STATES_MAX = 2_000_000;

    private Interleavings() {}

    /** Null if every segment of {@code m} has an explaining interleaving, else why not. */
    static String check(P3Model m) {
        Map<String, Long> balance = new HashMap<>();
        for (int seg = 0; seg < m.segments(); seg++) {
            Map<String, List<P3Model.Op>> byClient = new LinkedHashMap<>();
            for (P3Model.Op op : m.ops()) {
                if (op.runs == seg && op.outcome != P3Model.Outcome.ABORTED) {
                    byClient.computeIfAbsent(op.client(), c -> new ArrayList<>()).add(op);
                }
            }
            for (List<List<P3Model.Op>> component : components(byClient)) {
                if (!new Search(component, balance).run()) {
                    List<String> shown = new ArrayList<>();
                    component.forEach(l -> l.forEach(op -> shown.add(op.item.text() + " " + op.outcome
                            + (op.outcome == P3Model.Outcome.READ ? " " + op.value : ""))));
                    return "no order of these requests (each client's in file order) gives their printed outcomes: " + shown;
                }
            }
            for (List<P3Model.Op> ops : byClient.values()) {
                for (P3Model.Op op : ops) {
                    if (op.outcome == P3Model.Outcome.COMMITTED) {
                        move(balance, op, 1);
                    }
                }
            }
        }
        return null;
    }

    static long get(Map<String, Long> balance, String item) {
        return balance.getOrDefault(item, P3Model.START);
    }

    static void move(Map<String, Long> balance, P3Model.Op op, int sign) {
        balance.put(op.client(), get(balance, op.client()) - sign * op.item.amount());
        balance.put(op.item.to(), get(balance, op.item.to()) + sign * op.item.amount());
    }

    /** The clients' request lists, grouped so that no two groups touch a common item. */
    private static List<List<List<P3Model.Op>>> components(Map<String, List<P3Model.Op>> byClient) {
        Map<String, String> parent = new HashMap<>();
        for (List<P3Model.Op> ops : byClient.values()) {
            for (P3Model.Op op : ops) {
                union(parent, ops.get(0).client(), op.client());
                if (!op.read()) {
                    union(parent, ops.get(0).client(), op.item.to());
                }
            }
        }
        Map<String, List<List<P3Model.Op>>> groups = new LinkedHashMap<>();
        for (List<P3Model.Op> ops : byClient.values()) {
            groups.computeIfAbsent(find(parent, ops.get(0).client()), r -> new ArrayList<>()).add(ops);
        }
        return new ArrayList<>(groups.values());
    }

    private static String find(Map<String, String> parent, String x) {
        String p = parent.getOrDefault(x, x);
        if (p.equals(x)) {
            return x;
        }
        String root = find(parent, p);
        parent.put(x, root);
        return root;
    }

    private static void union(Map<String, String> parent, String a, String b) {
        String ra = find(parent, a);
        String rb = find(parent, b);
        if (!ra.equals(rb)) {
            parent.put(ra, rb);
        }
    }

    /** Depth-first search over (how far each client got); balances follow the path. */
    private static final class Search {
        private final List<List<P3Model.Op>> clients;
        private final Map<String, Long> balance;
        private final int[] at;
        private final Set<String> seen = new HashSet<>();

        Search(List<List<P3Model.Op>> clients, Map<String, Long> start) {
            this.clients = clients;
            this.balance = new HashMap<>(start);
            this.at = new int[clients.size()];
        }

        boolean run() {
            boolean done = true;
            for (int c = 0; c < at.length; c++) {
                done &= at[c] == clients.get(c).size();
            }
            if (done) {
                return true;
            }
            if (!seen.add(Arrays.toString(at))) {
                return false;
            }
            if (seen.size() > STATES_MAX) {
                throw new TooLarge("more than " + STATES_MAX + " interleavings of " + clients.size() + " clients");
            }
            for (int c = 0; c < at.length; c++) {
                if (at[c] == clients.get(c).size()) {
                    continue;
                }
                P3Model.Op op = clients.get(c).get(at[c]);
                long have = get(balance, op.client());
                boolean fits = switch (op.outcome) {
                    case COMMITTED -> have >= op.item.amount();
                    case INSUFFICIENT -> have < op.item.amount();
                    case READ -> have == op.value;
                    default -> throw new IllegalStateException("an aborted request has no place in an order");
                };
                if (!fits) {
                    continue;
                }
                if (op.outcome == P3Model.Outcome.COMMITTED) {
                    move(balance, op, 1);
                }
                at[c]++;
                boolean found = run();
                at[c]--;
                if (op.outcome == P3Model.Outcome.COMMITTED) {
                    move(balance, op, -1);
                }
                if (found) {
                    return true;
                }
            }
            return false;
        }
    }
}
