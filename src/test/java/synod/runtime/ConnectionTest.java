package synod.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a dead outgoing connection hands back for the next one to send. */
class ConnectionTest {
    final FrameCodec codec = new FrameCodec(1 << 16);

    /** A connection whose peer has already reset it; the reset has been seen by a read. */
    private static SocketChannel resetByPeer() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel client = SocketChannel.open(server.getLocalAddress());
            try (SocketChannel accepted = server.accept()) {
                accepted.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
            assertThrows(IOException.class, () -> client.read(ByteBuffer.allocate(16)), "expected a reset");
            client.configureBlocking(false);
            return client;
        }
    }

    @Test
    void aHelloThatCouldNotBeWrittenIsNotCarriedOverToTheNextConnection() throws Exception {
        try (SocketChannel ch = resetByPeer()) {
            Connection c = new Connection(ch, true, codec, "b", null);
            assertThrows(IOException.class, () -> c.greet(codec.encode(new Control.Hello("a", 1))));
            // The next connection writes its own Hello first; a stale one after it would be a second
            // Hello, which makes the peer close that connection and lose what followed it.
            assertEquals(List.of(), c.unsent());
        }
    }
}
