package synod.master;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import synod.app.Op;
import synod.app.Result;

/**
 * Range sharding as the master does it: {@code Accounts FIRST..LAST BAL} on G groups splits the
 * items into G equal contiguous ranges (Project 3: 1..3000, 3001..6000, 6001..9000), opens each
 * group's own items there, then tells every group the whole placement ({@link Op.Place}), so a
 * leader knows where the other item of a transfer lives.
 */
final class Shards {
    private Shards() {}

    /** {@code items} (in order) as {@code groups} contiguous ranges, the first ones one longer if they do not divide. */
    static List<Op.Range> split(List<String> items, int groups) {
        List<Op.Range> ranges = new ArrayList<>();
        int base = items.size() / groups;
        int extra = items.size() % groups;
        int from = 0;
        for (int g = 1; g <= groups; g++) {
            int n = base + (g <= extra ? 1 : 0);
            if (n > 0) {
                ranges.add(new Op.Range(items.get(from), items.get(from + n - 1), g));
            }
            from += n;
        }
        return ranges;
    }

    /** One request of an opening: {@code op} to group {@code group} as request {@code seq}. */
    record Step(int group, Op op, long seq) {}

    /**
     * The requests that open {@code items} with {@code balance} on {@code cluster}, numbered from
     * {@code firstSeq}: on one group an Open of everything (nothing else); on several an Open per
     * group of its range, then the whole placement to every group. Records the placement in the
     * cluster (refusing, before anything is sent, a range that overlaps an earlier one).
     */
    static List<Step> plan(PaxosCluster cluster, long firstSeq, List<String> items, long balance) {
        if (cluster.groups() == 1) {
            return List.of(new Step(1, new Op.Open(items, balance), firstSeq));
        }
        List<Op.Range> mine = split(items, cluster.groups());
        List<Op.Range> all = merged(cluster.ranges(), mine);
        cluster.place(all);
        List<Step> plan = new ArrayList<>();
        long seq = firstSeq;
        for (Op.Range r : mine) {
            List<String> part = items.subList(items.indexOf(r.first()), items.indexOf(r.last()) + 1);
            plan.add(new Step(r.group(), new Op.Open(part, balance), seq++));
        }
        for (int g = 1; g <= cluster.groups(); g++) {
            plan.add(new Step(g, new Op.Place(all), seq++));
        }
        return plan;
    }

    /** How many request numbers an opening on {@code groups} groups may use at most. */
    static int seqsNeeded(int groups) {
        return groups == 1 ? 1 : 2 * groups;
    }

    /**
     * Sends the steps of {@code plan}: on one group as {@code client}, one after the other; on
     * several, each group's steps in order as client {@code client-G}, the groups in parallel. The
     * future is the first result that is not a success, else {@code Opened} with the number of accounts.
     */
    static CompletableFuture<Result> run(PaxosCluster cluster, String client, List<Step> plan) {
        int accounts = plan.stream().mapToInt(s -> s.op() instanceof Op.Open o ? o.accounts().size() : 0).sum();
        Result success = new Result.Opened(accounts);
        if (plan.stream().mapToInt(Step::group).distinct().count() == 1) {
            CompletableFuture<Result> done = new CompletableFuture<>();
            next(cluster, client, plan, 0, success, done);
            return done;
        }
        List<CompletableFuture<Result>> groups = new ArrayList<>();
        for (int g : plan.stream().mapToInt(Step::group).distinct().sorted().toArray()) {
            CompletableFuture<Result> done = new CompletableFuture<>();
            next(cluster, client + "-" + g, plan.stream().filter(s -> s.group() == g).toList(), 0, success, done);
            groups.add(done);
        }
        return CompletableFuture.allOf(groups.toArray(new CompletableFuture[0])).thenApply(x -> groups.stream()
                .map(CompletableFuture::join).filter(r -> !r.equals(success)).findFirst().orElse(success));
    }

    private static void next(PaxosCluster cluster, String client, List<Step> plan, int i, Result success,
                             CompletableFuture<Result> done) {
        if (i == plan.size()) {
            done.complete(success);
            return;
        }
        Step step = plan.get(i);
        cluster.submit(client, step.seq(), step.op(), step.group()).whenComplete((r, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else if (r instanceof Result.Opened || r instanceof Result.Ok) {
                next(cluster, client, plan, i + 1, success, done);
            } else {
                done.complete(r);
            }
        });
    }

    /** The earlier placement with {@code more} added; a range given again (a re-open) counts once. */
    private static List<Op.Range> merged(List<Op.Range> earlier, List<Op.Range> more) {
        List<Op.Range> all = new ArrayList<>(earlier);
        for (Op.Range r : more) {
            if (!all.contains(r)) {
                all.add(r);
            }
        }
        return all;
    }
}
