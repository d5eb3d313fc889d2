package io.deskfleet.it.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

final class Ports {
    /**
     * Below Linux's ephemeral range (32768-60999): a port handed out there can be taken as the source port of some
     * outgoing connection before the process meant to listen on it binds it (seen with thousands of agent
     * connections open on the machine).
     */
    private static final int FIRST = 20_000;
    private static final int LAST = 32_000;
    /** Every port handed out so far: two processes given the same port would collide when the second binds. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    static int free() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(FIRST, LAST);
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(port));
                if (HANDED_OUT.add(port)) {
                    return port;
                }
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port between " + FIRST + " and " + LAST);
    }
}
