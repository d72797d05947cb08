package synod.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What one step of a core asks the world to do, as data. The runtime and the simulator are its only
 * interpreters; a core never touches a socket itself.
 */
public final class Output {
    private final List<Envelope> sends = new ArrayList<>();

    public Output send(String to, Message message) {
        sends.add(new Envelope(to, message));
        return this;
    }

    public List<Envelope> sends() {
        return sends;
    }

    public boolean isEmpty() {
        return sends.isEmpty();
    }
}
