package synod.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    public FrameCodec(int frameBytesMax) {
        if (frameBytesMax < 16) {
            throw new IllegalArgumentException("frameBytesMax too small: " + frameBytesMax);
        }
        this.frameBytesMax = frameBytesMax;
        this.mapper = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
                .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
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

    /** Decodes one frame body; malformed JSON or an unknown type is a FrameException. */
    public Message decode(byte[] body) throws FrameException {
        try {
            Message m = mapper.readValue(body, Message.class);
            if (m == null) {
                throw new FrameException("frame holds JSON null");
            }
            return m;
        } catch (FrameException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String text = new String(body, 0, Math.min(body.length, 120), StandardCharsets.UTF_8);
            throw new FrameException("malformed frame (" + e.getClass().getSimpleName() + "): " + text, e);
        }
    }
}
