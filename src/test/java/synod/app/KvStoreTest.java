package synod.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KvStoreTest {
    @Test
    void putGetDeleteAnswerAsTheSpecSays() {
        KvStore kv = new KvStore();
        assertEquals(new Result.NotFound("k"), kv.apply(new Op.Get("k")));
        assertEquals(new Result.Ok(), kv.apply(new Op.Put("k", "v1")));
        assertEquals(new Result.Ok(), kv.apply(new Op.Put("k", "v2")));
        assertEquals(new Result.Value("k", "v2"), kv.apply(new Op.Get("k")));
        assertEquals(new Result.Ok(), kv.apply(new Op.Delete("k")));
        assertEquals(new Result.NotFound("k"), kv.apply(new Op.Delete("k")));
        assertEquals(0, kv.size());
    }

    @Test
    void aCheckpointCarriesTheStoreBesideLocksAndBank() {
        Services a = new Services();
        a.apply("c", new Op.Put("x", "1"));
        a.apply("c", new Op.Put("y", "two words"));
        a.apply("c", new Op.Open(java.util.List.of("A"), 5));
        Services b = new Services();
        b.restore(a.snapshot());
        assertEquals("1", b.kv().get("x"));
        assertEquals("two words", b.kv().get("y"));
        assertEquals(5L, b.bank().balance("A"));
        assertEquals(a.snapshot(), b.snapshot());
    }

    @Test
    void aCheckpointFromBeforeTheStoreRestoresAnEmptyStore() {
        Services a = new Services();
        a.apply("c", new Op.Put("x", "1"));
        com.fasterxml.jackson.databind.node.ObjectNode old = (com.fasterxml.jackson.databind.node.ObjectNode) new Services().snapshot();
        old.remove("kv");
        a.restore(old);
        assertEquals(0, a.kv().size());
    }
}
