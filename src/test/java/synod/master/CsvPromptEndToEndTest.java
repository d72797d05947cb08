package synod.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import synod.master.MasterProcessEndToEndTest.Master;

/**
 * The prompt between the sets of a CSE535 file, typed at through a pipe (--prompt, as bin/master
 * passes it when stdin is a terminal): help, quit and end of input, errors that quote what was
 * typed and count in the exit status, prints answered before the next prompt.
 */
@Tag("end-to-end")
class CsvPromptEndToEndTest {
    /** The longest a set may take to print, start-up of its cluster included. */
    static final long SET_SECONDS = 60;

    @TempDir
    Path tmp;
    Master master;

    @AfterEach
    void reap() throws Exception {
        if (master != null) {
            master.process.destroyForcibly();
            assertTrue(master.process.waitFor(10, TimeUnit.SECONDS));
        }
        Path logs = tmp.resolve("logs").toAbsolutePath();
        List<ProcessHandle> left = ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().orElse("").contains(logs.toString())).toList();
        left.forEach(ProcessHandle::destroyForcibly);
        assertTrue(left.isEmpty(), "nodes left running: " + left);
    }

    private void start() throws Exception {
        Path csv = tmp.resolve("three-sets.csv");
        Files.writeString(csv, "Set Number,Transactions,Live Nodes\n"
                + "1,\"(A, B, 1)\",\"[n1, n2, n3, n4, n5]\"\n"
                + "2,\"(B, C, 1)\",\"[n1, n2, n3, n4, n5]\"\n"
                + "3,\"(C, D, 1)\",\"[n1, n2, n3, n4, n5]\"\n");
        master = new Master(tmp.resolve("logs").toAbsolutePath(), MasterProcessEndToEndTest.privateConfig(tmp),
                List.of("--prompt", csv.toString()));
        setOutput("(A, B, 1) committed");
        setOutput("n5 : A=9, B=11, C=10, D=10, E=10, F=10, G=10, H=10, I=10, J=10");
    }

    /**
     * Waits for stdout line {@code want} as long as a set may take: five node JVMs starting and
     * electing on a machine busy with other builds take longer than a print's bound.
     */
    private void setOutput(String want) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SET_SECONDS);
        while (true) {
            String line = master.out.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.equals(Master.EOF)) {
                fail("no stdout line '" + want + "' within " + SET_SECONDS + " s; stdout " + master.outSeen
                        + ", stderr " + master.errSeen);
            }
            master.outSeen.add(line);
            if (line.equals(want)) {
                return;
            }
        }
    }

    @Test
    void helpErrorsThatQuoteWhatWasTypedAndEndOfInput() throws Exception {
        start();
        master.send("help");
        master.awaitErr(l -> l.contains("between sets:"), "help");
        master.awaitErr(l -> l.contains("quit, Ctrl-D"), "help's quit line");
        master.send("Transfer A B 1");
        String err = master.awaitErr(l -> l.contains("'Transfer A B 1': "), "the refusal of a transfer");
        assertTrue(err.endsWith("'Transfer A B 1': not a command between sets; they take Enter, skip, quit, help and"
                + " PrintDB, PrintLog nK, PrintStatus N, PrintView, PrintBalance X, Performance"), err);
        master.send("PrintStatus 0 7");
        err = master.awaitErr(l -> l.contains("'PrintStatus 0 7': "), "the refusal of group 7");
        assertTrue(err.endsWith("'PrintStatus 0 7': no group 7: this cluster has one group, 1"), err);
        master.send("Perfromance");
        err = master.awaitErr(l -> l.contains("'Perfromance': "), "the refusal of a typo");
        assertTrue(err.contains("unknown command 'Perfromance'") && !err.contains("line 0"), err);
        master.send("Performance");
        String perf = master.await(master.out, master.outSeen, l -> l.startsWith("Performance: "), "Performance");
        assertTrue(perf.startsWith("Performance: 1 transactions decided"), perf);
        master.closeStdin(); // Ctrl-D
        master.awaitErr(l -> l.contains("end of input: sets 2..3 not run"), "what end of input left out");
        assertEquals(1, master.awaitExit(), "errors were typed at the prompt");
    }

    @Test
    void quitEndsTheRunAndLeavesTheStatusAlone() throws Exception {
        start();
        master.send("", "PrintDB");
        setOutput("(B, C, 1) committed");
        setOutput("n5 : A=9, B=10, C=11, D=10, E=10, F=10, G=10, H=10, I=10, J=10");
        setOutput("n5 : A=9, B=10, C=11, D=10, E=10, F=10, G=10, H=10, I=10, J=10");
        master.send("quit");
        master.awaitErr(l -> l.contains("quit: set 3 not run"), "what quit left out");
        assertEquals(0, master.awaitExit());
    }

    /**
     * PrintReshard typed after a Project 3 set: the set's transfers tie 3001 to group 1's items and
     * 3002 to group 3's, so those two move (the same history as test-cases/bank/reshard.txt): every
     * node's placement says so, and PrintDB shows them, with their balances, in their new groups.
     */
    @Test
    void printReshardAtThePromptPrintsTheMovesOfTheSetsTransfers() throws Exception {
        Path csv = tmp.resolve("reshard.csv");
        Files.writeString(csv, "Set Number,Transactions,Live Nodes\n"
                + "1,\"(1, 3001, 1)\",\"[n1, n2, n3, n4, n5, n6, n7, n8, n9]\"\n"
                + ",\"(3001, 2, 1)\",\n,\"(2, 3001, 1)\",\n,\"(3001, 1, 1)\",\n"
                + ",\"(6001, 3002, 1)\",\n,\"(3002, 6002, 1)\",\n,\"(6002, 3002, 1)\",\n,\"(3002, 6001, 1)\",\n"
                + ",\"(5, 6, 1)\",\n,\"(6, 5, 1)\",\n");
        master = new Master(tmp.resolve("logs").toAbsolutePath(), MasterProcessEndToEndTest.privateConfig(tmp),
                List.of("--prompt", csv.toString()));
        setOutput("n9 : 6001=10, 6002=10");
        master.send("PrintReshard");
        setOutput("(3001, c2, c1)");
        setOutput("(3002, c2, c3)");
        master.send("PrintPlacement");
        setOutput("n1 : v2: 3001 in c1, 3002 in c3"); // every node routes by the new mapping
        setOutput("n9 : v2: 3001 in c1, 3002 in c3");
        master.send("PrintDB");
        setOutput("n3 : 1=10, 2=10, 5=10, 6=10, 3001=10"); // moved with its balance
        setOutput("n6 : (none)");
        setOutput("n7 : 3002=10, 6001=10, 6002=10");
        master.send("quit");
        assertEquals(0, master.awaitExit());
    }
}
