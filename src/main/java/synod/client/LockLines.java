package synod.client;

import java.util.ArrayList;
import java.util.List;
import synod.app.Result;

/** How a lock result reads, for the master's scripts (EXACT, SPEC section 2) and bin/client alike. */
public final class LockLines {
    private LockLines() {}

    /**
     * The lines for {@code client}'s result; with {@code withGrant}, a release that handed the lock
     * to a waiter is followed by that waiter's grant.
     */
    public static List<String> of(String client, Result r, boolean withGrant) {
        List<String> lines = new ArrayList<>();
        if (r instanceof Result.Acquired a) {
            lines.add(client + " acquired " + a.lock() + " token " + a.token());
        } else if (r instanceof Result.Waiting w) {
            lines.add(client + " waits for " + w.lock());
        } else if (r instanceof Result.Released rel) {
            lines.add(client + " released " + rel.lock());
            if (withGrant && rel.grantedTo() != null) {
                lines.add(rel.grantedTo() + " acquired " + rel.lock() + " token " + rel.token());
            }
        } else if (r instanceof Result.NotHolder n) {
            lines.add(client + " ERR_NOT_HOLDER " + n.lock());
        } else {
            lines.add(client + " " + r);
        }
        return lines;
    }
}
