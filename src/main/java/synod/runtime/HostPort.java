package synod.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A process's address as {@code config/cluster.json} writes it: {@code host:port}, the host a name
 * or an IPv4 address, or an IPv6 one in brackets ({@code [fd00::1]:7101}). Parsed once, at the
 * edge, so a bad address is an error naming it, not an exception deep in the transport.
 */
public record HostPort(String host, int port) {
    public static HostPort parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("an address is null; want host:port");
        }
        int colon = text.lastIndexOf(':');
        if (colon < 1 || colon == text.length() - 1) {
            throw new IllegalArgumentException("\"" + text + "\" is not host:port");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") != host.endsWith("]") || (!host.startsWith("[") && host.contains(":"))) {
            throw new IllegalArgumentException("\"" + text + "\": an IPv6 host goes in brackets, [::1]:7101");
        }
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || !host.matches("[A-Za-z0-9.:_%-]+")) {
            throw new IllegalArgumentException("\"" + text + "\": the host \"" + host + "\" is not a name or an address");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("\"" + text + "\": the port is not a number in 1..65535");
        }
        return new HostPort(host, port);
    }

    /** The socket address, the host looked up now (a name that does not resolve stays unresolved). */
    public InetSocketAddress socket() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * Refuses an address this process cannot listen on and others cannot dial: a name that does not
     * resolve, the wildcard, or an address of none of this machine's interfaces (a node started on
     * the wrong machine, or with the wrong config). {@code who} opens the message: "n3's address".
     */
    public InetSocketAddress mustBeLocal(String who) throws IOException {
        InetSocketAddress a = socket();
        if (a.isUnresolved()) {
            throw new IOException(who + " " + this + ": the host \"" + host + "\" does not resolve");
        }
        InetAddress ip = a.getAddress();
        if (ip.isAnyLocalAddress()) {
            throw new IOException(who + " " + this + " is the wildcard address, which the others cannot dial;"
                    + " give this machine's own address");
        }
        if (!ip.isLoopbackAddress() && NetworkInterface.getByInetAddress(ip) == null) {
            throw new IOException(who + " " + this + " (" + ip.getHostAddress() + ") is not an address of this machine"
                    + " (its addresses: " + String.join(", ", localAddresses()) + "): started on the wrong machine,"
                    + " or with another machine's config?");
        }
        return a;
    }

    private static List<String> localAddresses() throws SocketException {
        List<String> all = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress ip : Collections.list(nif.getInetAddresses())) {
                all.add(ip.getHostAddress().replaceAll("%.*", ""));
            }
        }
        return all;
    }
}
