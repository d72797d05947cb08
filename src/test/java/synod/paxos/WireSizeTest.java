package synod.paxos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import synod.app.Op;

/** {@link WireSize} computes what the codec writes, byte for byte, for every op type and any text. */
class WireSizeTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final Random random = new Random(535);

    /** Text from every class of character the size depends on. */
    String text() {
        char[] kinds = {'a', '"', '\\', '\n', '\t', '\u0001', '\u001f', '\u007f', '\u00e9', '\u07ff', '\u0800', '\uffff',
            '\ud800', '\udc00', '/', ' '};
        StringBuilder b = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            if (random.nextInt(5) == 0) {
                b.append("\ud83d\ude00"); // a pair
            } else {
                b.append(kinds[random.nextInt(kinds.length)]);
            }
        }
        return b.toString();
    }

    long number() {
        long[] edge = {0, 1, -1, 9, 10, -10, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE};
        return random.nextBoolean() ? edge[random.nextInt(edge.length)] : random.nextLong() >> random.nextInt(64);
    }

    Op op() {
        switch (random.nextInt(13)) {
            case 9: return new Op.Txn(new synod.txn.TxnEntry.Ack(text(), (int) number()));
            case 10: return new Op.Txn(new synod.txn.TxnEntry.Decide(text(), random.nextBoolean(), random.nextBoolean()
                    ? null : new synod.txn.Outcome(random.nextBoolean() ? null
                    : synod.txn.Outcome.Kind.values()[random.nextInt(6)], random.nextBoolean() ? null : text()),
                    number()));
            case 11: {
                List<synod.txn.TxnOp> ws = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    ws.add(random.nextBoolean() ? new synod.txn.TxnOp.Credit(text(), number())
                            : new synod.txn.TxnOp.Debit(text(), number()));
                }
                if (random.nextInt(4) == 0) {
                    ws.add(new synod.txn.TxnOp.Put(text(), text())); // measured, not sized by hand
                }
                return new Op.Txn(new synod.txn.TxnEntry.Prepare(text(), ws, number()));
            }
            case 12: return new Op.KvTxn(List.of(new synod.txn.TxnOp.Expect(text(), text())));
            case 0: return new Op.Lock(text());
            case 1: return new Op.Unlock(text());
            case 2: return new Op.Put(text(), text());
            case 3: return new Op.Get(text());
            case 4: return new Op.Delete(text());
            case 5: return new Op.Transfer(text(), text(), number());
            case 6: return new Op.Balance(text());
            case 7: {
                List<String> as = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    as.add(text());
                }
                return new Op.Open(as, number());
            }
            default: return new Op.Place(List.of(new Op.Range(text(), text(), (int) number())));
        }
    }

    static int bytes(Object o) throws Exception {
        return JSON.writeValueAsBytes(o).length;
    }

    @Test
    void everySizeIsTheEncodedSize() throws Exception {
        for (int i = 0; i < 5000; i++) {
            Request r = new Request(text(), number(), op());
            assertEquals(bytes(r), WireSize.request(r), r.toString());
            List<Request> rs = new ArrayList<>();
            for (int k = random.nextInt(4); k > 0; k--) {
                rs.add(new Request(text(), number(), op()));
            }
            Value v = new Value(rs);
            assertEquals(bytes(v), WireSize.value(v));
            PValue pv = new PValue(new Ballot(number(), (int) number()), number(), v);
            assertEquals(bytes(pv), WireSize.pvalue(pv));
        }
        assertEquals(bytes(new Request(null, 1, null)), WireSize.request(new Request(null, 1, null)));
    }

    @Test
    void theBudgetsLeaveRoomForEveryWrapper() throws Exception {
        // a pvalue at the longest numbers takes at most PVALUE_WRAP around its value
        PValue pv = new PValue(new Ballot(Long.MIN_VALUE, Integer.MIN_VALUE), Long.MIN_VALUE, Value.NOOP);
        assertEquals(true, bytes(pv) - bytes(Value.NOOP) <= WireSize.PVALUE_WRAP, "pvalue wrapper " + bytes(pv));
        Request r = new Request("c", 1, new Op.Lock("x"));
        assertEquals(WireSize.VALUE_WRAP + WireSize.request(r), bytes(new Value(List.of(r))));
    }
}
