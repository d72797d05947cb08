package synod.runtime;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.WritableTypeId;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.util.ArrayList;
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

    /**
     * Readers for the same types, for the edge's codec (a node reads each value of an Accept and of
     * a catch-up once per frame). As strict as its databind settings: an unknown or mistyped field
     * is refused (a number where text belongs, text, a fraction or an out-of-range number where an
     * integer belongs, null for a number), a missing number is refused and missing text or object is null, as databind has them, and
     * a field given again is read as databind reads it ({@link #once}). {@code HotJsonTest} holds them to databind's answers.
     */
    public static SimpleModule readers() {
        SimpleModule m = new SimpleModule("synod-hot-json-readers");
        m.addDeserializer(Ballot.class, new BallotReader());
        m.addDeserializer(PValue.class, new PValueReader());
        m.addDeserializer(Value.class, new ValueReader());
        m.addDeserializer(Request.class, new RequestReader());
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
            TypeSerializer ts = p.findTypeSerializer(p.constructType(Op.class));
            p.findValueSerializer(op.getClass()).serializeWithType(op, g, p, ts);
        }
        g.writeEndObject();
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

    // ---- reading ----

    private static IOException refused(JsonParser p, String why) {
        return com.fasterxml.jackson.databind.exc.MismatchedInputException.from(p, (Class<?>) null, why);
    }

    /** Moves from the object's START_OBJECT to its first field (or its end); refuses anything but an object. */
    private static JsonToken enter(JsonParser p, String what) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            return p.nextToken();
        }
        if (t == JsonToken.FIELD_NAME) {
            return t; // databind may hand over an object whose opening it already read
        }
        throw refused(p, what + " must be an object, not " + t);
    }

    private static long longValue(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw refused(p, field + " must be an integer (a long), not " + p.currentToken());
        }
        return p.getLongValue();
    }

    private static int intValue(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw refused(p, field + " must be an integer (an int), not " + p.currentToken());
        }
        return p.getIntValue();
    }

    private static String text(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw refused(p, field + " must be text, not " + t);
        }
        return p.getText();
    }

    /**
     * Marks field {@code bit} of {@code what} as read, as databind's record reader counts them: a
     * field given again before every field was read overwrites (the last wins); once every one was
     * read, databind has built the record and refuses any further field, a repeat included.
     */
    private static int once(JsonParser p, int seen, int bit, int all, String what, String field) throws IOException {
        if (seen == all) {
            throw refused(p, what + " has \"" + field + "\" after all of its fields");
        }
        return seen | bit;
    }

    /** A missing number is refused (databind's FAIL_ON_NULL_FOR_PRIMITIVES); missing text or objects are null. */
    private static void primitives(JsonParser p, int seen, int numbers, String what) throws IOException {
        if ((seen & numbers) != numbers) {
            throw refused(p, what + " lacks a number field");
        }
    }

    private static IOException unknown(JsonParser p, Class<?> what, String field) {
        return com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException.from(p, what, field, null);
    }

    static Ballot readBallot(JsonParser p) throws IOException {
        long round = 0;
        int node = 0;
        int seen = 0;
        for (JsonToken t = enter(p, "a ballot"); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "round" -> {
                    seen = once(p, seen, 1, 3, "a ballot", f);
                    round = longValue(p, "round");
                }
                case "node" -> {
                    seen = once(p, seen, 2, 3, "a ballot", f);
                    node = intValue(p, "node");
                }
                default -> throw unknown(p, Ballot.class, f);
            }
        }
        primitives(p, seen, 3, "a ballot");
        return new Ballot(round, node);
    }

    static Value readValue(JsonParser p, DeserializationContext c) throws IOException {
        List<Request> requests = null;
        int seen = 0;
        for (JsonToken t = enter(p, "a value"); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            if (!f.equals("requests")) {
                throw unknown(p, Value.class, f);
            }
            seen = once(p, seen, 1, 1, "a value", f);
            if (v == JsonToken.VALUE_NULL) {
                requests = null;
                continue;
            }
            if (v != JsonToken.START_ARRAY) {
                throw refused(p, "requests must be an array, not " + v);
            }
            requests = new ArrayList<>();
            for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                requests.add(e == JsonToken.VALUE_NULL ? null : readRequest(p, c));
            }
        }
        return new Value(requests); // null requests, or a null among them: refused by the record (as before)
    }

    static Request readRequest(JsonParser p, DeserializationContext c) throws IOException {
        String client = null;
        long seq = 0;
        Op op = null;
        int seen = 0;
        for (JsonToken t = enter(p, "a request"); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "client" -> {
                    seen = once(p, seen, 1, 7, "a request", f);
                    client = text(p, "client");
                }
                case "seq" -> {
                    seen = once(p, seen, 2, 7, "a request", f);
                    seq = longValue(p, "seq");
                }
                case "op" -> {
                    seen = once(p, seen, 4, 7, "a request", f);
                    op = v == JsonToken.VALUE_NULL ? null : c.readValue(p, Op.class);
                }
                default -> throw unknown(p, Request.class, f);
            }
        }
        primitives(p, seen, 2, "a request");
        return new Request(client, seq, op);
    }

    static PValue readPValue(JsonParser p, DeserializationContext c) throws IOException {
        Ballot ballot = null;
        long slot = 0;
        Value value = null;
        int seen = 0;
        for (JsonToken t = enter(p, "a pvalue"); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "ballot" -> {
                    seen = once(p, seen, 1, 7, "a pvalue", f);
                    ballot = v == JsonToken.VALUE_NULL ? null : readBallot(p);
                }
                case "slot" -> {
                    seen = once(p, seen, 2, 7, "a pvalue", f);
                    slot = longValue(p, "slot");
                }
                case "value" -> {
                    seen = once(p, seen, 4, 7, "a pvalue", f);
                    value = v == JsonToken.VALUE_NULL ? null : readValue(p, c);
                }
                default -> throw unknown(p, PValue.class, f);
            }
        }
        primitives(p, seen, 2, "a pvalue");
        return new PValue(ballot, slot, value);
    }

    private static final class BallotReader extends JsonDeserializer<Ballot> {
        @Override
        public Ballot deserialize(JsonParser p, DeserializationContext c) throws IOException {
            return readBallot(p);
        }
    }

    private static final class PValueReader extends JsonDeserializer<PValue> {
        @Override
        public PValue deserialize(JsonParser p, DeserializationContext c) throws IOException {
            return readPValue(p, c);
        }
    }

    private static final class ValueReader extends JsonDeserializer<Value> {
        @Override
        public Value deserialize(JsonParser p, DeserializationContext c) throws IOException {
            return readValue(p, c);
        }
    }

    private static final class RequestReader extends JsonDeserializer<Request> {
        @Override
        public Request deserialize(JsonParser p, DeserializationContext c) throws IOException {
            return readRequest(p, c);
        }
    }
}
