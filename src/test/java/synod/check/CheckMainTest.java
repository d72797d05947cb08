package synod.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exit codes bin/grade relies on: 0 accepted, 1 rejected, 2 usage or I/O error. */
class CheckMainTest {
    @TempDir
    Path dir;

    @Test
    void exitCodes() throws IOException {
        Path script = CheckerCasesTest.CASES.resolve("pskevin-readme.txt");
        Path good = CheckerCasesTest.PEERS.resolve("pskevin-readme.published");
        Path bad = Files.writeString(dir.resolve("bad.out"), Files.readString(good).replace("node 4 = 500", "node 4 = 501"));
        assertEquals(0, CheckMain.run(new String[] {script.toString(), good.toString()}));
        assertEquals(1, CheckMain.run(new String[] {script.toString(), bad.toString()}));
        assertEquals(2, CheckMain.run(new String[] {script.toString()}));
        assertEquals(2, CheckMain.run(new String[] {script.toString(), dir.resolve("missing.out").toString()}));
    }
}
