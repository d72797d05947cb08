package synod.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * How much of the servers' CPU their JIT compilers take, from Linux's per-thread accounting
 * ({@code /proc/PID/task/TID}): HotSpot names its compiler threads "C1 CompilerThreadN" and "C2
 * CompilerThreadN". Nine node JVMs on two cores compile for minutes, and while they do, their
 * compilers take up to half the machine: a point measured then measures the compilers.
 */
final class JitWatch {
    /** CPU ticks (all threads, compiler threads) of some processes at one moment. */
    record Ticks(long all, long compilers) {
        /** The compilers' share of the CPU used between {@code before} and this. */
        double compilerShareSince(Ticks before) {
            long all = this.all - before.all;
            return all <= 0 ? 0 : (double) (compilers - before.compilers) / all;
        }
    }

    private JitWatch() {}

    /** The processes' ticks now, or null where /proc cannot tell (not Linux). */
    static Ticks ticks(List<ProcessHandle> processes) {
        long all = 0;
        long compilers = 0;
        for (ProcessHandle p : processes) {
            try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(p.pid()), "task"))) {
                for (Path t : (Iterable<Path>) tasks::iterator) {
                    long used = used(t);
                    all += used;
                    if (compiler(t)) {
                        compilers += used;
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (!Files.isDirectory(Path.of("/proc/self/task"))) {
                    return null;
                }
                // a process or thread that exited meanwhile: it no longer counts
            }
        }
        return new Ticks(all, compilers);
    }

    private static boolean compiler(Path task) {
        try {
            String comm = Files.readString(task.resolve("comm"));
            return comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler");
        } catch (IOException e) {
            return false; // the thread exited
        }
    }

    /** utime + stime of a thread: fields 14 and 15 of its stat, counted after the parenthesised name. */
    private static long used(Path task) {
        try {
            String stat = Files.readString(task.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException e) {
            return 0; // the thread exited
        }
    }
}
