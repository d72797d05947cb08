package synod.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import synod.core.Message;
import synod.paxos.PaxosMsg;
import synod.snapshot.BankMsg;

/**
 * The wire format: a 4-byte big-endian length, then that many bytes of UTF-8 JSON whose "type" is
 * the record's simple name. The length is checked against {@code frameBytesMax} before anything is
 * allocated, so a hostile or broken peer cannot make a node allocate what it says.
 */
public final class FrameCodec {
    /** A frame this node will not accept: the connection that sent it is closed, never the node. */
    public static final class FrameException extends IOException {
        public FrameException(String message) {
            super(message);
        }

        public FrameException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final ObjectMapper mapper;
    private final int frameBytesMax;
    private final MessageCheck check;

    /** A codec that checks what it decodes with {@link MessageCheck#lenient}: for processes that are not nodes. */
    public FrameCodec(int frameBytesMax) {
        this(frameBytesMax, MessageCheck.lenient(frameBytesMax));
    }

    /** A codec whose every decoded message passes {@code check} before anyone sees it (ARCHITECTURE "The edge"). */
    public FrameCodec(int frameBytesMax, MessageCheck check) {
        this(frameBytesMax, check, true);
    }

    /**
     * {@code hot}: frames written by {@link HotJson}'s serializers; without, by databind's alone
     * (what they are benchmarked against, {@code synod.bench.CodecBench}). The same bytes either way.
     */
    public FrameCodec(int frameBytesMax, MessageCheck check, boolean hot) {
        if (frameBytesMax < 16) {
            throw new IllegalArgumentException("frameBytesMax too small: " + frameBytesMax);
        }
        this.frameBytesMax = frameBytesMax;
        this.check = check;
        // Strict: a number where text belongs, text or a fraction where an integer belongs, is malformed.
        this.mapper = JsonMapper.builder()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
                .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
                .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false)
                .configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false)
                .withCoercionConfig(LogicalType.Textual, text -> text
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .build();
        if (hot) {
            mapper.registerModule(HotJson.module()); // the same bytes as databind's, written without its reflection
        }
        register(Control.class);
        register(BankMsg.class);
        register(PaxosMsg.class);
        register(synod.txn.TxnMsg.class);
    }

    public int frameBytesMax() {
        return frameBytesMax;
    }

    private final java.util.Map<String, Class<?>> names = new java.util.HashMap<>();

    /**
     * A frame names its record by the simple class name; two records of one name would make every
     * frame of that name decode as whichever registered last, so that is refused at start.
     */
    private void register(Class<? extends Message> sealed) {
        for (Class<?> c : sealed.getPermittedSubclasses()) {
            Class<?> had = names.putIfAbsent(c.getSimpleName(), c);
            if (had != null) {
                throw new IllegalStateException("two messages named " + c.getSimpleName() + ": " + had.getName()
                        + " and " + c.getName());
            }
            mapper.registerSubtypes(new NamedType(c, c.getSimpleName()));
        }
    }

    /** One whole frame, length prefix included, ready to write. */
    public ByteBuffer encode(Message m) {
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + m, e);
        }
        if (json.length > frameBytesMax) {
            throw new IllegalStateException("frame of " + json.length + " bytes exceeds " + frameBytesMax);
        }
        ByteBuffer b = ByteBuffer.allocate(4 + json.length);
        b.putInt(json.length).put(json).flip();
        return b;
    }

    /** Validates a length prefix before its body is allocated. */
    public int checkLength(int length) throws FrameException {
        if (length < 1 || length > frameBytesMax) {
            throw new FrameException("frame length " + length + " outside 1.." + frameBytesMax);
        }
        return length;
    }

    /**
     * Decodes one frame body and checks it ({@link MessageCheck}). Malformed JSON, an unknown type or
     * a message the check refuses is a FrameException; a client request the check refuses, or one
     * that does not decode but still names its client and number, is a {@link MessageCheck.BadRequest}
     * for the node to answer.
     */
    public Message decode(byte[] body) throws FrameException {
        Message m;
        try {
            m = mapper.readValue(body, Message.class);
        } catch (IOException | RuntimeException e) {
            Message answer = unreadableRequest(body, e);
            if (answer != null) {
                return answer;
            }
            String text = new String(body, 0, Math.min(body.length, 120), StandardCharsets.UTF_8);
            throw new FrameException("malformed frame (" + e.getClass().getSimpleName() + "): " + text, e);
        }
        if (m == null) {
            throw new FrameException("frame holds JSON null");
        }
        try {
            return check.check(m);
        } catch (MessageCheck.Bad e) {
            throw new FrameException("refused: " + e.getMessage(), e);
        }
    }

    /**
     * A client request that does not decode (an unknown op, a field of the wrong type) but whose
     * client id and request number can be read: an answer the client can match, rather than a
     * closed connection and a client left waiting. Null for anything else.
     */
    private Message unreadableRequest(byte[] body, Exception why) {
        JsonNode tree;
        try {
            tree = mapper.readTree(body);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (tree == null || !"ClientRequest".equals(tree.path("type").textValue())) {
            return null;
        }
        JsonNode client = tree.path("request").path("client");
        JsonNode seq = tree.path("request").path("seq");
        if (!client.isTextual() || !seq.isIntegralNumber() || !seq.canConvertToLong()) {
            return null;
        }
        String id = ClientRules.echo(client.textValue());
        return new MessageCheck.BadRequest(id, seq.longValue(),
                "bad request: it does not decode (" + why.getClass().getSimpleName() + ")");
    }
}
