package synod.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import synod.app.Op;
import synod.app.Services;
import synod.app.StateMachine;
import synod.core.Output;
import synod.paxos.Replica;
import synod.paxos.Value;

/**
 * The reference execution of one group of a sharded cluster: a {@link Replica} over the group's
 * {@link Services} that no node owns, fed exactly the slots its {@link ChosenLog} chose, in order.
 * Every replica of the group must hold its state after the same prefix (the per-group Paxos check),
 * and every op it executes is shown to the {@link TxnTruth}, which checks the transaction table and
 * the money across groups against an independent model.
 */
final class GroupReference implements ChosenLog.Reference {

    /** What the truth is told of every op the reference executes, right after it executed. */
    interface Listener {
        void executed(int group, String client, long seq, Op op, StateMachine.Applied applied);
    }

    final int group;
    private final Services services;
    private final Replica replica;
    private final List<String> clients;

    GroupReference(int group, int groups, List<String> clients, Listener listener) {
        this.group = group;
        this.clients = List.copyOf(clients);
        this.services = new Services(group, groups);
        this.replica = new Replica(new StateMachine() {
            @Override
            public Applied apply(String client, Op op) {
                return apply(client, 0, op);
            }

            @Override
            public Applied apply(String client, long seq, Op op) {
                Applied a = services.apply(client, seq, op);
                listener.executed(group, client, seq, op, a);
                return a;
            }

            @Override
            public JsonNode snapshot() {
                return services.snapshot();
            }

            @Override
            public void restore(JsonNode snapshot) {
                services.restore(snapshot);
            }
        });
    }

    /** The group's services after the chosen prefix: its ledger and transaction table, as every replica will have them. */
    Services services() {
        return services;
    }

    /** The reference's exactly-once table: the final answer of {@code client}'s latest request here. */
    Replica.Executed executed(String client) {
        return replica.executed(client);
    }

    @Override
    public String execute(long slot, Value value) {
        replica.onDecide(slot, value, null, new Output()); // attached to no client: it sends nothing
        return stateOf(replica);
    }

    @Override
    public String initial() {
        return stateOf(replica);
    }

    @Override
    public String stateOf(Replica r) {
        return ChosenLog.canonical(r.machine().snapshot(), clients, r::executed);
    }
}
