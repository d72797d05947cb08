package synod.master;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import synod.app.Op;

/** Range sharding: Accounts FIRST..LAST over G groups. */
class ShardsTest {
    static List<String> items(int n) {
        List<String> l = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            l.add(String.valueOf(i));
        }
        return l;
    }

    @Test
    void project3sItemsSplitIntoEqualContiguousRanges() {
        assertEquals(List.of(new Op.Range("1", "3000", 1), new Op.Range("3001", "6000", 2), new Op.Range("6001", "9000", 3)),
                Shards.split(items(9000), 3));
        assertEquals(new Op.Range("1801", "3600", 2), Shards.split(items(9000), 5).get(1));
        assertEquals(List.of(new Op.Range("1", "4", 1), new Op.Range("5", "7", 2), new Op.Range("8", "10", 3)),
                Shards.split(items(10), 3), "the first ranges one longer when G does not divide");
        assertEquals(List.of(new Op.Range("1", "1", 1), new Op.Range("2", "2", 2)), Shards.split(items(2), 3),
                "a group with no item gets no range");
    }
}
