package synod.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import synod.app.Op;
import synod.paxos.Ballot;
import synod.paxos.PValue;
import synod.paxos.PaxosMsg;
import synod.paxos.Request;
import synod.paxos.Value;
import synod.runtime.FrameCodec;
import synod.runtime.MessageCheck;

/**
 * {@code java -cp target/synod.jar synod.bench.CodecBench [ROUNDS]}: the edge's codec with and
 * without {@code HotJson}'s writers, side by side in one JVM, on what a sharded group's leader sends most: an
 * Accept of one slot holding ten bank transfers. Prints the thread's CPU per encode and per decode
 * (CPU time, so other work on the machine disturbs it little), after a warm-up, for C2 and, run
 * with {@code -XX:TieredStopAtLevel=1}, for C1 as the short-lived nodes run.
 */
public final class CodecBench {
    private CodecBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        List<Request> rs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rs.add(new Request("t64-" + i, 1000 + i, new Op.Transfer(String.valueOf(17 + i * 301), String.valueOf(2900 - i), 1)));
        }
        Ballot b = new Ballot(3, 2);
        PaxosMsg.Accept accept = new PaxosMsg.Accept(b, List.of(new PValue(b, 123_456, new Value(rs))));
        int max = 1 << 20;
        FrameCodec plain = new FrameCodec(max, MessageCheck.lenient(max), false);
        FrameCodec hot = new FrameCodec(max, MessageCheck.lenient(max), true);
        System.out.printf("an Accept of 10 transfers (%d bytes), %d rounds each, thread CPU per operation:%n",
                plain.encode(accept).remaining() - 4, rounds);
        for (int pass = 0; pass < 2; pass++) { // the first pass warms both up
            double[] p = measure(plain, accept, rounds);
            double[] h = measure(hot, accept, rounds);
            if (pass == 1) {
                System.out.printf("  encode: databind %.2f us, HotJson %.2f us (%.2fx)%n", p[0], h[0], h[0] / p[0]);
                System.out.printf("  decode (databind, with the edge's check): %.2f us%n", p[1]);
            }
        }
    }

    /** Microseconds of this thread's CPU per encode and per decode (with the edge's check). */
    private static double[] measure(FrameCodec codec, PaxosMsg.Accept m, int rounds) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sink = 0;
        long t0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < rounds; i++) {
            sink += codec.encode(m).remaining();
        }
        long t1 = mx.getCurrentThreadCpuTime();
        ByteBuffer f = codec.encode(m);
        byte[] body = new byte[f.getInt()];
        f.get(body);
        for (int i = 0; i < rounds; i++) {
            sink += codec.decode(body).hashCode() & 1;
        }
        long t2 = mx.getCurrentThreadCpuTime();
        if (sink == 42) {
            System.out.print(""); // keeps the loops' results alive
        }
        return new double[] {(t1 - t0) / 1e3 / rounds, (t2 - t1) / 1e3 / rounds};
    }
}
