package synod.runtime;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.WritableTypeId;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.util.List;
import synod.app.Op;
import synod.paxos.Ballot;
import synod.paxos.PValue;
import synod.paxos.Request;
import synod.paxos.Value;

/**
 * Hand-written Jackson serializers for what every slot writes many times over: the value a slot
 * decides ({@link Value}, its {@link Request}s, a bank {@link Op.Transfer}) inside its pvalue and
 * ballot, in the leader's Accept frame and in every node's log record of it. Databind's record
 * serializer calls each accessor by reflection and looks up a serializer per field; under C1 (and on
 * nine node JVMs that take a minute to reach C2) that was the largest single cost of a node's
 * event loop (JFR, docs/bench.md). The bytes are exactly what databind writes for the same object:
 * the same property names in the same order, the type id first ({@code HotJsonTest} compares the
 * two on every op type), so the wire format and the log format do not change and every reader
 * (the edge's decoder, recovery) reads them as before. Ops other than a transfer go to databind.
 */
public final class HotJson {
    private HotJson() {}

    /** The module to register in a mapper that writes frames or log records. */
    public static SimpleModule module() {
        SimpleModule m = new SimpleModule("synod-hot-json");
        m.addSerializer(Ballot.class, new BallotWriter());
        m.addSerializer(PValue.class, new PValueWriter());
        m.addSerializer(Value.class, new ValueWriter());
        m.addSerializer(Request.class, new RequestWriter());
        m.addSerializer(Op.Transfer.class, new TransferWriter());
        return m;
    }

    /** {@code mapper} with {@link #module} registered; returns it. */
    public static <M extends ObjectMapper> M registeredIn(M mapper) {
        mapper.registerModule(module());
        return mapper;
    }

    static void ballot(Ballot b, JsonGenerator g) throws IOException {
        if (b == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeNumberField("round", b.round());
        g.writeNumberField("node", b.node());
        g.writeEndObject();
    }

    static void value(Value v, JsonGenerator g, SerializerProvider p) throws IOException {
        g.writeStartObject();
        g.writeFieldName("requests");
        List<Request> rs = v.requests();
        g.writeStartArray();
        for (int i = 0; i < rs.size(); i++) {
            Request r = rs.get(i);
            if (r == null) {
                g.writeNull();
            } else {
                request(r, g, p);
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    static void request(Request r, JsonGenerator g, SerializerProvider p) throws IOException {
        g.writeStartObject();
        g.writeStringField("client", r.client());
        g.writeNumberField("seq", r.seq());
        g.writeFieldName("op");
        Op op = r.op();
        if (op == null) {
            g.writeNull();
        } else if (op instanceof Op.Transfer t) {
            transfer(t, g, true);
        } else {
            // as databind writes a field declared Op: the runtime class's serializer, Op's type id
            p.findValueSerializer(op.getClass()).serializeWithType(op, g, p, opTypes(p));
        }
        g.writeEndObject();
    }

    /** Op's type serializer per mapper configuration (a mapper's is one immutable object; few exist). */
    private static final java.util.Map<SerializationConfig, TypeSerializer> OP_TYPES =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Op's type serializer for {@code p}'s configuration. Databind caches value serializers but builds
     * a type serializer anew on every {@code findTypeSerializer}, resolving Op's subtypes each time:
     * 7-12% of a warm leader's JFR samples when its slots held 2PC steps (docs/bench.md). Keyed by the
     * configuration itself (identity: SerializationConfig does not override equals), as the frame and
     * the log mappers alternate; a writer reconfigured on every call would fill it, so it stays small.
     */
    private static TypeSerializer opTypes(SerializerProvider p) throws IOException {
        SerializationConfig config = p.getConfig();
        TypeSerializer ts = OP_TYPES.get(config);
        if (ts == null) {
            ts = p.findTypeSerializer(p.constructType(Op.class));
            if (OP_TYPES.size() >= 16) {
                OP_TYPES.clear();
            }
            OP_TYPES.put(config, ts);
        }
        return ts;
    }

    /** {@code {"op":"transfer","from":F,"to":T,"amount":N}}; without the type id when another writes it. */
    static void transfer(Op.Transfer t, JsonGenerator g, boolean withType) throws IOException {
        if (withType) {
            g.writeStartObject();
            g.writeStringField("op", "transfer");
        }
        g.writeStringField("from", t.from());
        g.writeStringField("to", t.to());
        g.writeNumberField("amount", t.amount());
        if (withType) {
            g.writeEndObject();
        }
    }

    private static final class BallotWriter extends JsonSerializer<Ballot> {
        @Override
        public void serialize(Ballot b, JsonGenerator g, SerializerProvider p) throws IOException {
            ballot(b, g);
        }
    }

    private static final class PValueWriter extends JsonSerializer<PValue> {
        @Override
        public void serialize(PValue pv, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeStartObject();
            g.writeFieldName("ballot");
            ballot(pv.ballot(), g);
            g.writeNumberField("slot", pv.slot());
            g.writeFieldName("value");
            if (pv.value() == null) {
                g.writeNull();
            } else {
                value(pv.value(), g, p);
            }
            g.writeEndObject();
        }
    }

    private static final class ValueWriter extends JsonSerializer<Value> {
        @Override
        public void serialize(Value v, JsonGenerator g, SerializerProvider p) throws IOException {
            value(v, g, p);
        }
    }

    private static final class RequestWriter extends JsonSerializer<Request> {
        @Override
        public void serialize(Request r, JsonGenerator g, SerializerProvider p) throws IOException {
            request(r, g, p);
        }
    }

    /** A transfer written where databind asks for it (not inside a request): with its type id as databind places it. */
    private static final class TransferWriter extends JsonSerializer<Op.Transfer> {
        @Override
        public void serialize(Op.Transfer t, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeStartObject();
            transfer(t, g, false);
            g.writeEndObject();
        }

        @Override
        public void serializeWithType(Op.Transfer t, JsonGenerator g, SerializerProvider p, TypeSerializer ts)
                throws IOException {
            WritableTypeId id = ts.writeTypePrefix(g, ts.typeId(t, JsonToken.START_OBJECT));
            transfer(t, g, false);
            ts.writeTypeSuffix(g, id);
        }
    }
}
