package synod.paxos;

import synod.app.Op;

/** A client's request: {@code (client, seq)} names it, so a retried request executes once. */
public record Request(String client, long seq, Op op) {}
