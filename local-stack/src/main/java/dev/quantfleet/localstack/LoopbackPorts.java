package dev.quantfleet.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free TCP ports on the loopback address 127.0.0.1. */
final class LoopbackPorts {

    static final String LOOPBACK_HOST = "127.0.0.1";

    private LoopbackPorts() {
    }

    /**
     * Returns a port that was free on 127.0.0.1 a moment ago.
     *
     * <p>NOTE: the port is released before the caller binds it, so another process can take it in
     * between. Start-up then fails with an "Address already in use" error in the server's log.
     */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName(LOOPBACK_HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to find a free TCP port on " + LOOPBACK_HOST, e);
        }
    }
}
