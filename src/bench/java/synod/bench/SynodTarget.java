package synod.bench;

import java.util.concurrent.CompletableFuture;
import synod.app.Op;
import synod.app.Result;
import synod.master.PaxosCluster;

/**
 * Group 1 of a running {@link PaxosCluster} as a {@link Target}: client {@code c} is named
 * {@code prefix + c}, so every run needs a fresh prefix (a client name reused with its request
 * numbers starting again at 1 would be answered from the exactly-once cache, not executed).
 */
public record SynodTarget(PaxosCluster cluster, String prefix, Ops ops) implements Target {
    /** The {@code seq}-th op of client {@code client}. */
    public interface Ops {
        Op next(int client, long seq);
    }

    @Override
    public CompletableFuture<Result> submit(int client, long seq) {
        return cluster.submit(prefix + client, seq, ops.next(client, seq), 1).thenApply(r -> {
            // an op that could not apply at all (an account never opened, say) measures nothing
            if (r instanceof Result.Aborted a) {
                throw new IllegalStateException("synod aborted a request: " + a.reason());
            }
            return r;
        });
    }
}
