package synod.master;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import synod.master.EdgeFuzzTest.Case;
import synod.paxos.WireSize;
import synod.runtime.Auth;

/**
 * The inputs of {@link EdgeFuzzTest}: each one breaks exactly one rule of the edge, in an
 * otherwise well-formed frame, so none of them may change anything. Every client id, key and value
 * they carry says "fuzz", so a node's log can be searched for one that got in.
 */
final class FuzzCases {
    private FuzzCases() {}

    static final String OK_BALLOT = "{\"round\":3,\"node\":1}";

    static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c) || (c >= 0x7f && c < 0xa0)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    static String request(String client, String seq, String op) {
        return "{\"type\":\"ClientRequest\",\"request\":{\"client\":" + client + ",\"seq\":" + seq + ",\"op\":" + op + "}}";
    }

    static String fuzzRequest(long seq, String op) {
        return request("\"fuzz-c\"", String.valueOf(seq), op);
    }

    /** The poison pills a harness found, and the frame-size edge: each a case for good. */
    static List<Case> fixed(int frame) {
        List<Case> c = new ArrayList<>();
        c.add(Case.answered("fixed: put, key null", fuzzRequest(1, "{\"op\":\"put\",\"key\":null,\"value\":\"fuzz\"}")));
        c.add(Case.answered("fixed: put, key missing", fuzzRequest(2, "{\"op\":\"put\",\"value\":\"fuzz\"}")));
        c.add(Case.answered("fixed: get, key missing", fuzzRequest(3, "{\"op\":\"get\"}")));
        c.add(Case.answered("fixed: delete, key null", fuzzRequest(4, "{\"op\":\"delete\",\"key\":null}")));
        c.add(Case.answered("fixed: lock, name null", fuzzRequest(5, "{\"op\":\"lock\",\"lock\":null}")));
        c.add(Case.answered("fixed: unlock, name missing", fuzzRequest(6, "{\"op\":\"unlock\"}")));
        c.add(Case.answered("fixed: op missing", "{\"type\":\"ClientRequest\",\"request\":{\"client\":\"fuzz-c\",\"seq\":7}}"));
        c.add(Case.answered("fixed: op null", fuzzRequest(8, "null")));
        c.add(Case.answered("fixed: request null", "{\"type\":\"ClientRequest\",\"request\":null}"));
        c.add(Case.answered("fixed: request missing", "{\"type\":\"ClientRequest\"}"));
        c.add(Case.answered("fixed: client missing",
                "{\"type\":\"ClientRequest\",\"request\":{\"seq\":9,\"op\":{\"op\":\"lock\",\"lock\":\"fuzz\"}}}"));
        c.add(Case.answered("fixed: client null", request("null", "10", "{\"op\":\"lock\",\"lock\":\"fuzz\"}")));
        c.add(Case.answered("fixed: value a lone surrogate", fuzzRequest(11,
                "{\"op\":\"put\",\"key\":\"fuzz\",\"value\":\"\\ud800\"}")));
        String prefix = "{\"type\":\"ClientRequest\",\"request\":{\"client\":\"fuzz-c\",\"seq\":12,"
                + "\"op\":{\"op\":\"put\",\"key\":\"fuzz\",\"value\":\"";
        String suffix = "\"}}}";
        String exactly = prefix + "x".repeat(frame - prefix.length() - suffix.length()) + suffix;
        c.add(Case.answered("fixed: a request of exactly frameBytesMax", exactly));
        c.add(Case.answered("fixed: a request just over the request limit", oversize(13, WireSize.requestBudget(frame) + 1)));
        c.add(Case.rawBytes("fixed: a length over frameBytesMax", "fuzzer", ByteBuffer.allocate(4).putInt(frame + Auth.MAC_BYTES + 1).array()));
        c.add(Case.closes("fixed: an Accept without a ballot", "n9", "{\"type\":\"Accept\",\"ballot\":null,\"entries\":[]}"));
        c.add(Case.closes("fixed: a stranger's Decide carrying a request without an op", "n9",
                "{\"type\":\"Decide\",\"slot\":0,\"value\":{\"requests\":[{\"client\":\"fuzz\",\"seq\":1}]}}"));
        c.add(Case.closes("fixed: a 'master' that hangs up after a bad control message", "master",
                "{\"type\":\"SetDropRate\",\"rate\":2.0,\"seed\":1}"));
        return c;
    }

    /** A put whose request takes {@code bytes} bytes as the codec counts them. */
    static String oversize(long seq, int bytes) {
        synod.paxos.Request r = new synod.paxos.Request("fuzz-c", seq, new synod.app.Op.Put("fuzz", ""));
        int value = bytes - WireSize.request(r);
        return fuzzRequest(seq, "{\"op\":\"put\",\"key\":\"fuzz\",\"value\":\"" + "x".repeat(value) + "\"}");
    }

    // ---- random cases ----

    static String pick(Random r, String... options) {
        return options[r.nextInt(options.length)];
    }

    /** A string that breaks the rules for names: a lone surrogate, a control character, or too long. */
    static String badName(Random r) {
        String base = "fuzz" + r.nextInt(1000);
        switch (r.nextInt(4)) {
            case 0: return base + (char) (0xd800 + r.nextInt(0x800));
            case 1: return base + (char) r.nextInt(0x20);
            case 2: return base + (char) (0x7f + r.nextInt(0x21));
            default: return base + "n".repeat(257 + r.nextInt(500));
        }
    }

    static Case random(Random r, int frame) {
        long seq = 100 + r.nextInt(1_000_000);
        switch (r.nextInt(16)) {
            case 0: return missingField(r, seq);
            case 1: return badString(r, seq);
            case 2: return Case.answered("reserved client id", request(q(pick(r, "#fuzz", "#", "fu/zz", "/fuzz")),
                    String.valueOf(seq), "{\"op\":\"get\",\"key\":\"fuzz\"}"));
            case 3: return Case.answered("negative seq", fuzzRequest(-1 - r.nextInt(1000), "{\"op\":\"get\",\"key\":\"fuzz\"}"));
            case 4: return Case.answered("unknown op", fuzzRequest(seq, "{\"op\":\"fuzz" + r.nextInt(100) + "\",\"key\":\"fuzz\"}"));
            case 5: return Case.answered("a field of the wrong type", fuzzRequest(seq, pick(r,
                    "{\"op\":\"put\",\"key\":5,\"value\":\"fuzz\"}", "{\"op\":\"put\",\"key\":\"fuzz\",\"value\":[1]}",
                    "{\"op\":\"lock\",\"lock\":{}}", "{\"op\":\"transfer\",\"from\":\"fuzz\",\"to\":\"fuzz\",\"amount\":\"x\"}",
                    "{\"op\":\"open\",\"accounts\":[\"fuzz\"],\"balance\":1.5}", "{\"op\":\"get\",\"key\":true}",
                    "{\"op\":\"open\",\"accounts\":\"fuzz\",\"balance\":1}")));
            case 6: return Case.answered("an unknown field", fuzzRequest(seq, "{\"op\":\"get\",\"key\":\"fuzz\",\"fuzz\":1}"));
            case 7: return Case.answered("a request too large", oversize(seq, WireSize.requestBudget(frame) + 1
                    + r.nextInt(frame - WireSize.requestBudget(frame) - 100)));
            case 8: return Case.answered("a bad opening or placement", fuzzRequest(seq, pick(r,
                    "{\"op\":\"open\",\"accounts\":[\"fuzz\"],\"balance\":-" + (1 + r.nextInt(100)) + "}",
                    "{\"op\":\"open\",\"accounts\":[\"fuzz\",null],\"balance\":1}",
                    "{\"op\":\"place\",\"ranges\":[{\"first\":\"fuzz\",\"last\":\"fuzz\",\"group\":0}]}",
                    "{\"op\":\"place\",\"ranges\":[{\"first\":null,\"last\":\"fuzz\",\"group\":1}]}",
                    "{\"op\":\"place\",\"ranges\":[{\"first\":\"fuzz\",\"last\":\"fuzz\",\"group\":99999}]}",
                    "{\"op\":\"place\"}")));
            case 9: return notAMessage(r);
            case 10: return badLength(r, frame);
            case 11: return badPeerMessage(r);
            case 12: return badControl(r);
            case 13: return badKvTxn(r, seq);
            case 14: return Case.answered("a 2PC step or a bad move from a client", fuzzRequest(seq, pick(r,
                    "{\"op\":\"2pc\",\"entry\":null}",
                    "{\"op\":\"2pc\",\"entry\":{\"step\":\"decide\",\"txid\":\"1.1\",\"commit\":true}}",
                    "{\"op\":\"move\",\"account\":\"fuzz\",\"to\":" + pick(r, "0", "-1", "99999") + "}",
                    "{\"op\":\"move\",\"account\":null,\"to\":1}",
                    "{\"op\":\"move\",\"account\":" + q(badName(r)) + ",\"to\":1}")));
            default: return Case.closes("a request whose number cannot be read", "fuzzer", pick(r,
                    request("\"fuzz-c\"", "\"7\"", "{\"op\":\"get\",\"key\":\"fuzz\"}"),
                    request("\"fuzz-c\"", "1.5", "{\"op\":\"get\",\"key\":\"fuzz\"}"),
                    request("5", "7", "{\"op\":\"get\",\"key\":\"fuzz\"}"),
                    request("\"fuzz-c\"", "99999999999999999999999", "{\"op\":\"get\",\"key\":\"fuzz\"}")));
        }
    }

    /** A key-value transaction the store could not apply, each breaking one of its rules. */
    static Case badKvTxn(Random r, long seq) {
        String put = "{\"op\":\"put\",\"item\":\"fuzz\",\"value\":\"fuzz\"}";
        String steps = pick(r, "null", "[]", "[null]", "[" + put + ",null]",
                "[{\"op\":\"debit\",\"item\":\"fuzz\",\"amount\":1}]",
                "[{\"op\":\"credit\",\"item\":\"fuzz\",\"amount\":1}]",
                "[{\"op\":\"put\",\"item\":null,\"value\":\"fuzz\"}]",
                "[{\"op\":\"put\",\"item\":\"fuzz\"}]",
                "[{\"op\":\"expect\",\"item\":\"fuzz\"}]",
                "[{\"op\":\"del\"}]",
                "[{\"op\":\"fuzz\",\"item\":\"fuzz\"}]",
                "[" + put + "," + put + "]",
                "[{\"op\":\"absent\",\"item\":\"fuzz\"},{\"op\":\"absent\",\"item\":\"fuzz\"}]",
                "[" + (put + ",").repeat(64 + r.nextInt(10)) + put + "]", // more steps than any transaction takes
                "[{\"op\":\"put\",\"item\":" + q(badName(r)) + ",\"value\":\"fuzz\"}]",
                "{\"op\":\"put\",\"item\":\"fuzz\",\"value\":\"fuzz\"}");
        return Case.answered("a bad key-value transaction", fuzzRequest(seq, "{\"op\":\"txn\",\"steps\":" + steps + "}"));
    }

    static Case missingField(Random r, long seq) {
        String[][] ops = {
            {"put", "key", "value"}, {"get", "key"}, {"delete", "key"}, {"lock", "lock"}, {"unlock", "lock"},
            {"transfer", "from", "to"}, {"balance", "account"}};
        String[] op = ops[r.nextInt(ops.length)];
        int gone = 1 + r.nextInt(op.length - 1);
        boolean asNull = r.nextBoolean();
        StringBuilder b = new StringBuilder("{\"op\":\"" + op[0] + "\"");
        for (int i = 1; i < op.length; i++) {
            if (i == gone) {
                if (asNull) {
                    b.append(",\"").append(op[i]).append("\":null");
                }
            } else {
                b.append(",\"").append(op[i]).append("\":\"fuzz\"");
            }
        }
        if (op[0].equals("transfer")) {
            b.append(",\"amount\":1");
        }
        return Case.answered("a field " + (asNull ? "null" : "missing"), fuzzRequest(seq, b.append('}').toString()));
    }

    static Case badString(Random r, long seq) {
        String bad = q(badName(r));
        switch (r.nextInt(4)) {
            case 0: return Case.answered("a bad client id", request(bad.length() > 80 ? q("fuzz" + "i".repeat(70)) : bad,
                    String.valueOf(seq), "{\"op\":\"get\",\"key\":\"fuzz\"}"));
            case 1: return Case.answered("a bad key", fuzzRequest(seq, "{\"op\":\"put\",\"key\":" + bad + ",\"value\":\"fuzz\"}"));
            case 2: return Case.answered("a bad lock name", fuzzRequest(seq, "{\"op\":\"lock\",\"lock\":" + bad + "}"));
            default: return Case.answered("a value that is not UTF-16", fuzzRequest(seq,
                    "{\"op\":\"put\",\"key\":\"fuzz\",\"value\":\"fuzz\\udc00" + r.nextInt(100) + "\"}"));
        }
    }

    static Case notAMessage(Random r) {
        switch (r.nextInt(8)) {
            case 0: {
                byte[] junk = new byte[1 + r.nextInt(200)];
                r.nextBytes(junk);
                return new Case("random bytes", "fuzzer", junk, true, false);
            }
            case 1: return Case.closes("not an object", "fuzzer", pick(r, "null", "[]", "42", "\"fuzz\"", "true"));
            case 2: return Case.closes("an unknown type", "fuzzer", pick(r, "{\"type\":\"Fuzz\"}", "{\"type\":null}",
                    "{\"type\":\"Message\"}", "{\"type\":\"BadRequest\",\"client\":\"fuzz\",\"seq\":1,\"reason\":\"x\"}", "{}"));
            case 3: return Case.closes("truncated", "fuzzer", "{\"type\":\"ClientRequest\",\"request\":{\"client\":\"fuzz");
            case 4: return Case.closes("trailing bytes", "fuzzer", "{\"type\":\"CatchUp\",\"fromSlot\":0} fuzz");
            case 5: return Case.closes("nested too deep", "fuzzer", "{\"type\":\"QueryReply\",\"seq\":1,\"lines\":"
                    + "[".repeat(5000) + "]".repeat(5000) + "}");
            case 6: return Case.closes("no Hello first", null, fuzzRequest(1, "{\"op\":\"get\",\"key\":null}"));
            default: return Case.closes("a second Hello", "fuzzer", "{\"type\":\"Hello\",\"from\":\"fuzzer\",\"port\":1}");
        }
    }

    static Case badLength(Random r, int frame) {
        int length = switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> -1 - r.nextInt(Integer.MAX_VALUE);
            case 2 -> frame + Auth.MAC_BYTES + 1 + r.nextInt(1000); // over the limit, its MAC counted
            default -> Integer.MAX_VALUE;
        };
        return Case.rawBytes("a length out of range", "fuzzer", ByteBuffer.allocate(4).putInt(length).array());
    }

    /**
     * A peer message with one field missing or out of range, from a stranger or (rarely) as a member.
     * Posing as a member it sends only messages the edge refuses on their own (no values: what a
     * request inside a value holds is the services' business, and a well-formed value from a false
     * member is a matter for authentication, which this is not about).
     */
    static Case badPeerMessage(Random r) {
        boolean member = r.nextInt(20) == 0;
        String from = member ? pick(r, "n1", "n2", "n3") : pick(r, "n9", "fuzz-peer");
        // each of these is wrong wherever it stands
        String ballot = pick(r, "null", "{\"round\":" + (1L << 40) + ",\"node\":1}", "{\"round\":" + Long.MAX_VALUE
                + ",\"node\":1}", "{\"round\":3,\"node\":0}", "{\"round\":3,\"node\":4}", "{\"round\":-3,\"node\":1}",
                "{\"round\":0,\"node\":2}");
        String slot = pick(r, "-1", String.valueOf((1L << 48) + 1), String.valueOf(Long.MAX_VALUE));
        String value = pick(r, "{\"requests\":null}", "{\"requests\":[null]}",
                "{\"requests\":[{\"client\":null,\"seq\":1,\"op\":{\"op\":\"lock\",\"lock\":\"fuzz\"}}]}",
                "{\"requests\":[{\"client\":\"fuzz\",\"seq\":1,\"op\":{\"op\":\"put\",\"key\":\"fuzz\"}}]}",
                "{\"requests\":[{\"client\":\"fuzz\",\"seq\":1,\"op\":null}]}",
                "{\"requests\":[{\"client\":\"fuzz\",\"seq\":1,\"op\":{\"op\":\"put\",\"key\":\"\\ud800\",\"value\":\"v\"}}]}");
        String pv = pick(r, "{\"ballot\":" + OK_BALLOT + ",\"slot\":" + slot + ",\"value\":{\"requests\":[]}}",
                "{\"ballot\":" + OK_BALLOT + ",\"slot\":0,\"value\":" + pick(r, value, "null") + "}",
                "{\"ballot\":" + ballot + ",\"slot\":0,\"value\":{\"requests\":[]}}", "null");
        String checkpoint = pick(r, "{\"slot\":1}", "{\"slot\":-1,\"state\":{},\"clients\":{}}",
                "{\"slot\":1,\"state\":{},\"clients\":{\"fuzz\":5}}", "[]", "\"fuzz\"");
        int[] valueFree = {0, 1, 4, 7, 8, 11, 12};
        String json = switch (member ? valueFree[r.nextInt(valueFree.length)] : r.nextInt(13)) {
            case 0 -> "{\"type\":\"Prepare\",\"ballot\":" + ballot + ",\"fromSlot\":0}";
            case 1 -> "{\"type\":\"Prepare\",\"ballot\":" + OK_BALLOT + ",\"fromSlot\":" + slot + "}";
            case 2 -> "{\"type\":\"Accept\",\"ballot\":" + pick(r, ballot, OK_BALLOT) + ",\"entries\":[" + pv + "]}";
            case 3 -> "{\"type\":\"NewView\",\"ballot\":" + OK_BALLOT + ",\"fromSlot\":0,\"entries\":"
                    + pick(r, "null", "[" + pv + "]") + "}";
            case 4 -> "{\"type\":\"Promise\",\"ballot\":" + OK_BALLOT + ",\"fromSlot\":0,\"accepted\":[],\"checkpointSlot\":0,"
                    + pick(r, "\"part\":3,\"parts\":3", "\"part\":0,\"parts\":0", "\"part\":-1,\"parts\":2",
                    "\"part\":0,\"parts\":" + Integer.MAX_VALUE) + "}";
            case 5 -> "{\"type\":\"Promise\",\"ballot\":" + OK_BALLOT + ",\"fromSlot\":0,\"accepted\":"
                    + pick(r, "null", "[" + pv + "]") + ",\"checkpointSlot\":0,\"part\":0,\"parts\":1}";
            case 6 -> "{\"type\":\"Decide\",\"slot\":" + pick(r, slot + ",\"value\":null", "0,\"value\":" + value) + "}";
            case 7 -> "{\"type\":\"Accepted\",\"ballot\":" + OK_BALLOT + ",\"slots\":" + pick(r, "null", "[null]",
                    "[" + slot + "]") + "}";
            case 8 -> "{\"type\":\"Heartbeat\",\"ballot\":" + pick(r, ballot + ",\"commitSlot\":0",
                    OK_BALLOT + ",\"commitSlot\":" + slot) + "}";
            case 9 -> "{\"type\":\"CatchUpReply\",\"fromSlot\":0,\"decided\":" + pick(r, "null", "[" + pv + "]")
                    + ",\"checkpointSlot\":0,\"checkpoint\":null}";
            case 10 -> "{\"type\":\"CatchUpReply\",\"fromSlot\":0,\"decided\":[],\"checkpointSlot\":0,\"checkpoint\":"
                    + checkpoint + "}";
            case 11 -> "{\"type\":\"CheckpointPart\",\"slot\":1," + pick(r, "\"offset\":-1,\"total\":10",
                    "\"offset\":10,\"total\":10", "\"offset\":0,\"total\":0", "\"offset\":0,\"total\":" + (1L << 40))
                    + ",\"data\":\"AAAA\"}";
            default -> "{\"type\":\"" + pick(r, "CatchUp\",\"fromSlot\":" + slot, "Nack\",\"ballot\":" + ballot
                    + ",\"promised\":" + OK_BALLOT) + "}";
        };
        return Case.closes("a bad peer message", from, json);
    }

    /** A master message that is not one: only the master's own are, and these are malformed. */
    static Case badControl(Random r) {
        String from = pick(r, "master", "n9", "fuzzer");
        String json = pick(r, "{\"type\":\"SetDropRate\",\"rate\":" + pick(r, "2.0", "-0.5", "\"x\"") + ",\"seed\":1}",
                "{\"type\":\"SetLive\",\"live\":" + pick(r, "null", "[null]", "[\"\"]", "[\"n\\ud8001\"]") + "}",
                "{\"type\":\"Query\",\"seq\":1,\"what\":null,\"arg\":0}",
                "{\"type\":\"Connect\",\"peer\":\"n9\",\"host\":\"127.0.0.1\",\"port\":" + pick(r, "70000", "-5") + "}",
                "{\"type\":\"Linked\",\"peer\":null}",
                "{\"type\":\"SetDelay\",\"delayMicros\":" + pick(r, "-1", "60000001", "1000") + ",\"jitterMicros\":"
                        + pick(r, "-5", String.valueOf(Long.MAX_VALUE)) + ",\"seed\":1}",
                "{\"type\":\"Hello\",\"from\":\"fuzzer\",\"port\":70000}",
                // a FLUSH's messages: the master's alone (its role no fuzzer can take), and a Reset's layout bounded
                "{\"type\":\"" + pick(r, "Freeze", "Frozen") + "\"}",
                "{\"type\":\"Reset\",\"groups\":" + pick(r, "0", "999", "1", "-3") + ",\"replicas\":"
                        + pick(r, "999", "3", "\"x\"") + "}");
        return Case.closes("a bad control message", from, json);
    }
}
