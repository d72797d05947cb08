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

    private static Command assertParses(String line) {
        try {
            return ScriptParser.parse(7, line);
        } catch (ScriptParser.ScriptError e) {
            throw new AssertionError(line + ": " + e.getMessage(), e);
        }
    }
}
