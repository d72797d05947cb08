package synod.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** What a bad script line is told: the rule it broke, in the script's words. */
class ScriptParserTest {
    private static String refusal(String line) {
        return assertThrows(ScriptParser.ScriptError.class, () -> ScriptParser.parse(7, line)).getMessage();
    }

    @Test
    void aCs380dNodeIdIsAWholeNumberFromOneTo9999() {
        for (String id : new String[] {"-1", "99999999999", "abc", "1.5", "0", "10000"}) {
            assertEquals("line 7: bad node id '" + id + "': a node id is a whole number from 1 to 9999",
                    refusal("CreateNode " + id + " 5"));
        }
        assertEquals(new Command.CreateNode(7, "2", 50), assertParses("CreateNode 02 50"));
        assertEquals(new Command.Send(7, "1", "9999", 10), assertParses("Send 1 9999 10"));
    }

    @Test
    void aBackwardRangeAndANodeThatIsNoNodeSaySo() {
        assertEquals("line 7: bad range 'C..A': C comes after A (FIRST..LAST, as in A..J)", refusal("Accounts C..A 10"));
        assertEquals("line 7: bad node 'x' (nodes are n1, n2, ...)", refusal("Fail x"));
        assertEquals("line 7: bad node 'n0' (nodes are n1, n2, ...)", refusal("Recover n0"));
        assertEquals("line 7: 'x' is not a group number (groups are 1, 2, ...)", refusal("FailLeader x"));
    }

    @Test
    void aDelayIsMillisecondsToTheMicrosecondAtMostAMinute() {
        assertEquals(new Command.Delay(7, 5000, 0), assertParses("Delay 5"));
        assertEquals(new Command.Delay(7, 100, 2500), assertParses("delay 0.1 2.5"));
        for (String bad : new String[] {"-1", "x", "1e3", "0.0001", "NaN", "+1"}) {
            assertEquals("line 7: '" + bad + "' is not a delay in milliseconds (a number such as 5 or 0.1, to the microsecond)",
                    refusal("Delay " + bad));
        }
        assertEquals("line 7: a delay is at most 60000 ms, got '60000.001'", refusal("Delay 1 60000.001"));
    }

    private static Command assertParses(String line) {
        try {
            return ScriptParser.parse(7, line);
        } catch (ScriptParser.ScriptError e) {
            throw new AssertionError(line + ": " + e.getMessage(), e);
        }
    }
}
