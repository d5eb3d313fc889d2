package io.deskfleet.agent;

import io.deskfleet.agent.link.ControlLink;
import io.deskfleet.agent.link.ReplicaChannels;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.Hello;
import io.deskfleet.agent.v1.Refusal;
import io.deskfleet.agent.v1.Welcome;
import io.deskfleet.link.Backoff;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The field report: the agent's channel kept gRPC's own connect backoff (1 s growing 1.6-fold to 120 s) under the
 * agent's 5 s resubscribe, so an agent came back 24 s after its control plane. Scaled down to keep the test short:
 * the agent's stream backoff is capped at 1 s here, and the outage lasts until gRPC's next connect attempt is at
 * least 3.3 s away (its 5th step, 4.1 s +-20 %), the same "channel backoff several times the agent's" situation.
 * A real Netty server on a fixed port; while it is "down" a listener on the port accepts and resets every connection,
 * so the test sees each of the channel's connect attempts.
 */
class ReconnectAfterOutageTest {
    private static final long AGENT_CAP_MILLIS = 1_000;

    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final FakeControlPlane controlPlane = new FakeControlPlane();
    private final AtomicInteger welcomes = new AtomicInteger();
    private ManagedChannel channel;
    private Server server;

    @AfterEach
    void stop() {
        loop.shutdownNow();
        if (channel != null) {
            channel.shutdownNow();
        }
        if (server != null) {
            server.shutdownNow();
        }
    }

    @Test
    void theAgentIsBackWithinItsOwnBackoffOnceTheControlPlaneListensAgain() throws Exception {
        server = start(0);
        int port = server.getPort();
        channel = Grpc.newChannelBuilderForAddress("localhost", port, InsecureChannelCredentials.create()).build();
        ControlLink link = new ControlLink(ReplicaChannels.of(channel), loop, handler(),
                new Backoff(100, AGENT_CAP_MILLIS, () -> ThreadLocalRandom.current().nextDouble()),
                System::currentTimeMillis);
        loop.execute(link::open);
        Waits.until(() -> welcomes.get() == 1 ? true : null, Duration.ofSeconds(10));

        server.shutdownNow().awaitTermination();
        try (ServerSocket refusing = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            // gRPC's attempts 1 s, 1.6 s and 2.56 s apart; after the 4th its next is 4.1 s +-20 % away.
            for (int attempts = 0; attempts < 4; attempts++) {
                try (Socket connection = refusing.accept()) {
                    connection.setSoLinger(true, 0);
                }
            }
        }
        server = start(port);
        long listening = System.nanoTime();
        Waits.until(() -> welcomes.get() == 2 ? true : null, Duration.ofSeconds(15));
        long backMillis = (System.nanoTime() - listening) / 1_000_000;
        assertTrue(backMillis <= AGENT_CAP_MILLIS + 1_000, "back " + backMillis + " ms after the control plane "
                + "listened again; the agent's backoff is at most " + AGENT_CAP_MILLIS + " ms");
    }

    private Server start(int port) throws IOException {
        return Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create())
                .addService(controlPlane).build().start();
    }

    private ControlLink.Handler handler() {
        return new ControlLink.Handler() {
            @Override
            public Hello hello() {
                return Hello.newBuilder().setDesktopId(FakeControlPlane.DESKTOP_ID)
                        .setDesktopCredential(FakeControlPlane.SECRET).build();
            }

            @Override
            public void welcomed(Welcome welcome) {
                welcomes.incrementAndGet();
            }

            @Override
            public void received(ControlMessage message) {
            }

            @Override
            public void refused(Refusal refusal, Status status) {
                throw new AssertionError("refused: " + status);
            }
        };
    }
}
