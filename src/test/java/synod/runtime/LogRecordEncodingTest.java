package synod.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import synod.app.Op;
import synod.paxos.Ballot;
import synod.paxos.Durable;
import synod.paxos.PValue;
import synod.paxos.Request;
import synod.paxos.Value;

/**
 * What a Paxos node writes to its log: any record its core makes, even one holding a string that
 * is not valid UTF-16 (a lone surrogate, which JSON's "\ud800" can carry in), is a line the log
 * accepts and reads back unchanged. The edge refuses such strings from clients; this is the
 * defence behind it, since a record the log refuses ends the node ("fatal: cannot persist").
 */
class LogRecordEncodingTest {
    @TempDir
    Path tmp;

    @Test
    void aRecordWithLoneSurrogatesIsWrittenAndReadBackUnchanged() throws Exception {
        Request r = new Request("c\udc00", 1, new Op.Put("k\ud800", "v\ud800x\udfff"));
        var state = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        state.putObject("kv").put("key\ud800", "value\udc00"); // a field name too, as a checkpoint holds keys
        List<Object> records = List.of(new Durable.Promised(new Ballot(1, 1)),
                new Durable.Accepted(new PValue(new Ballot(1, 1), 0, new Value(List.of(r)))),
                new Durable.Checkpoint(1, state, state.objectNode()));
        Path file = tmp.resolve("paxos.log");
        try (FileLog log = FileLog.open(file)) {
            PaxosHost.encode(records).forEach(log::append);
            log.sync();
        }
        try (FileLog log = FileLog.open(file)) {
            assertEquals(records, List.copyOf(PaxosHost.decode(log)));
        }
    }

    @Test
    void aRecordOfUnknownTypeIsDamageNamingTheFileTheLineAndTheType() throws Exception {
        Path file = tmp.resolve("paxos.log");
        String promised = "{\"rec\":\"promised\",\"ballot\":{\"round\":1,\"node\":1}}";
        for (String[] c : new String[][] {
                {"{\"rec\":\"bogus\",\"ballot\":{\"round\":1,\"node\":1}}", "unknown record type 'bogus'"},
                {"{\"ballot\":{\"round\":1,\"node\":1}}", "the record has no record type"},
                {"{\"rec\":\"promised\",\"ballot\":7}", "the record is not a Paxos log record"}}) {
            Files.deleteIfExists(file);
            try (FileLog log = FileLog.open(file)) {
                List.of(promised, c[0], promised).forEach(log::append);
            }
            try (FileLog log = FileLog.open(file)) {
                LogDamage e = assertThrows(LogDamage.class, () -> PaxosHost.decode(log), c[0]);
                long offset = Files.readString(file).indexOf('\n') + 1;
                assertTrue(e.getMessage().startsWith(file + ": line 2 at byte " + offset + ": " + c[1]), e.getMessage());
                assertTrue(e.getMessage().endsWith("refusing to recover"), e.getMessage());
            }
        }
    }
}
