package synod.master;

/** One parsed script line. Node ids are kept as written (CS380D ids are integers). */
public sealed interface Command {
    /** The 1-based line number the command came from, for error messages. */
    int line();

    record StartMaster(int line) implements Command {}

    record CreateNode(int line, String id, long amount) implements Command {}

    record Send(int line, String from, String to, long amount) implements Command {}

    /** {@code from} is null when the script leaves the channel to a seeded random choice. */
    record Receive(int line, String to, String from) implements Command {}

    record ReceiveAll(int line) implements Command {}

    record BeginSnapshot(int line, String id) implements Command {}

    record CollectState(int line) implements Command {}

    record PrintSnapshot(int line) implements Command {}

    record KillAll(int line) implements Command {}

    // ---- replicated services (Multi-Paxos) ----

    record StartCluster(int line, int groups, int replicas) implements Command {}

    record Lock(int line, String client, String lock) implements Command {}

    record Unlock(int line, String client, String lock) implements Command {}

    /** Node ids are normalized to {@code nK}. */
    record Fail(int line, String node) implements Command {}

    record Recover(int line, String node) implements Command {}

    /** {@code group} is 1-based; 0 means the first group. */
    record FailLeader(int line, long group) implements Command {}

    /** {@code CutLeader [GROUP]}: cut the current leader off from every node (it keeps running). */
    record CutLeader(int line, long group) implements Command {}

    record Live(int line, java.util.List<String> nodes) implements Command {}

    record CrashAt(int line, String node, String point) implements Command {}

    record DropRate(int line, double rate) implements Command {}

    /** {@code Delay MS [JITTER]}: every message between nodes MS plus up to JITTER ms late (in microseconds here). */
    record Delay(int line, long delayMicros, long jitterMicros) implements Command {}

    record Sleep(int line, long millis) implements Command {}

    record PrintLog(int line, String node) implements Command {}

    record PrintView(int line) implements Command {}

    record PrintStatus(int line, long slot, long group) implements Command {}

    /** {@code Accounts FIRST..LAST BALANCE}: letters (A..J) or numbers (1..9000). */
    record Accounts(int line, java.util.List<String> accounts, long balance) implements Command {}

    record Transfer(int line, String from, String to, long amount) implements Command {}

    record Balance(int line, String account) implements Command {}

    /** {@code Put K V}, {@code Get K}, {@code Delete K}: the key-value store. */
    record Put(int line, String key, String value) implements Command {}

    record Get(int line, String key) implements Command {}

    record Delete(int line, String key) implements Command {}

    /**
     * {@code Txn [CLIENT] put K V | del K | expect K V | expect K absent ...}: a key-value transaction,
     * all of its steps or none; {@code client} is "kv" (the script's Put, Get and Delete) unless named.
     */
    record Txn(int line, String client, java.util.List<synod.txn.TxnOp> steps) implements Command {}

    /** {@code PrintShard KEY}: which group holds a key of the key-value store. */
    record PrintShard(int line, String key) implements Command {}

    record PrintDB(int line) implements Command {}

    record PrintBalance(int line, String account) implements Command {}

    record Performance(int line) implements Command {}

    /** {@code PrintReshard}: moves the items a resharding of the recent transfers puts elsewhere, and prints them ({@link Resharding}). */
    record PrintReshard(int line) implements Command {}

    /** {@code PrintPlacement}: every node's mapping of moved items and its version ({@link PaxosPrints}). */
    record PrintPlacement(int line) implements Command {}
}
