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
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Agents over several control plane replicas (issue 23): real Netty servers on loopback ports, each a
 * {@link FakeControlPlane}, and the agent's own {@link ControlLink} over {@link ReplicaChannels} of their addresses.
 */
class ReplicaFailoverTest {
    /** The stream backoff's cap (jitter included) plus time to connect on a busy test machine. */
    private static final long FAILOVER_BOUND_MILLIS = 5_000 + 1_000;

    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final List<Replica> replicas = new ArrayList<>();
    private final List<ReplicaChannels> channels = new ArrayList<>();

    /** One replica: its server and the authorities its calls named (what TLS checks the certificate against). */
    private record Replica(Server server, FakeControlPlane controlPlane, Set<String> authorities) {
        InetSocketAddress address() {
            return InetSocketAddress.createUnresolved("localhost", server.getPort());
        }

        boolean holdsAStream() {
            return !controlPlane.hellos().isEmpty() && controlPlane.connected();
        }
    }

    @AfterEach
    void stop() {
        loop.shutdownNow();
        for (ReplicaChannels replicaChannels : channels) {
            try {
                replicaChannels.shutdown(0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        replicas.forEach(r -> r.server().shutdownNow());
    }

    @Test
    void whenTheReplicaHoldingTheStreamDiesTheAgentIsOnAnotherWithinItsStreamBackoff() throws Exception {
        startReplicas(3);
        open(link(addresses()));
        Replica holding = Waits.until(() -> replicas.stream().filter(Replica::holdsAStream).findFirst().orElse(null),
                Duration.ofSeconds(10));

        holding.server().shutdownNow().awaitTermination();
        long killed = System.nanoTime();
        Replica next = Waits.until(() -> replicas.stream().filter(r -> r != holding && r.holdsAStream())
                .findFirst().orElse(null), Duration.ofSeconds(15));
        long failoverMillis = (System.nanoTime() - killed) / 1_000_000;

        assertNotSame(holding, next);
        assertTrue(failoverMillis <= FAILOVER_BOUND_MILLIS, "on another replica " + failoverMillis
                + " ms after the one holding the stream died");
    }

    /**
     * 30 agents over 3 replicas: each agent's own random order spreads them, and each stays on the replica it got
     * (one Hello per agent); each replica saw its own name as the authority.
     */
    @Test
    void aHerdSpreadsOverTheReplicasAndEachAgentStaysOnOne() throws Exception {
        startReplicas(3);
        int agents = 30;
        for (int i = 0; i < agents; i++) {
            open(link(addresses()));
        }
        Waits.until(() -> totalHellos() == agents ? true : null, Duration.ofSeconds(20));
        Thread.sleep(1_000); // a few heartbeats: a link that hopped would show as a second Hello
        assertEquals(agents, totalHellos());
        for (Replica replica : replicas) {
            int got = replica.controlPlane().hellos().size();
            assertTrue(got > 0, "a replica got no agent; spread " + spread());
            assertEquals(Set.of("localhost:" + replica.server().getPort()), replica.authorities());
        }
    }

    @Test
    void aListWhoseFirstAddressIsDeadConnectsToTheSecond() throws Exception {
        startReplicas(1);
        int dead;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = closed.getLocalPort();
        }
        List<InetSocketAddress> servers = List.of(
                InetSocketAddress.createUnresolved("127.0.0.1", dead), replicas.get(0).address());
        // A Random whose shuffle swaps each element with itself: the order stays as given, the dead address first.
        Random asGiven = new Random() {
            @Override
            public int nextInt(int bound) {
                return bound - 1;
            }
        };
        long started = System.nanoTime();
        open(link(servers, asGiven));
        Waits.until(() -> replicas.get(0).holdsAStream() ? true : null, Duration.ofSeconds(10));
        long connectedMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(connectedMillis <= FAILOVER_BOUND_MILLIS, "connected after " + connectedMillis + " ms");
    }

    /**
     * A replica that accepts connections but never answers, as a hung process whose kernel still completes TCP
     * handshakes: the agents whose order starts with it give up on it when no Welcome comes, and take the other.
     */
    @Test
    void agentsLeaveAReplicaThatAcceptsConnectionsButNeverAnswers() throws Exception {
        startReplicas(1);
        int agents = 8; // each draws the hung replica first with probability 1/2
        try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<InetSocketAddress> servers = List.of(
                    InetSocketAddress.createUnresolved("127.0.0.1", hung.getLocalPort()), replicas.get(0).address());
            long started = System.nanoTime();
            for (int i = 0; i < agents; i++) {
                open(link(servers));
            }
            Waits.until(() -> totalHellos() == agents ? true : null, Duration.ofSeconds(20));
            long allMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(allMillis <= ControlLink.WELCOME_TIMEOUT_MILLIS + FAILOVER_BOUND_MILLIS,
                    "all connected after " + allMillis + " ms");
        }
    }

    private void startReplicas(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            FakeControlPlane controlPlane = new FakeControlPlane();
            Set<String> authorities = new CopyOnWriteArraySet<>();
            ServerInterceptor recordAuthority = new ServerInterceptor() {
                @Override
                public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                                   ServerCallHandler<Q, R> next) {
                    authorities.add(call.getAuthority());
                    return next.startCall(call, headers);
                }
            };
            Server server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                    .addService(ServerInterceptors.intercept(controlPlane, recordAuthority)).build().start();
            replicas.add(new Replica(server, controlPlane, authorities));
        }
    }

    private List<InetSocketAddress> addresses() {
        return replicas.stream().map(Replica::address).toList();
    }

    private ControlLink link(List<InetSocketAddress> servers) {
        return link(servers, ThreadLocalRandom.current());
    }

    private ControlLink link(List<InetSocketAddress> servers, Random order) {
        ReplicaChannels replicaChannels = ReplicaChannels.connect(servers, InsecureChannelCredentials.create(), order);
        channels.add(replicaChannels);
        return new ControlLink(replicaChannels, loop, handler(),
                Backoff.forStream(() -> ThreadLocalRandom.current().nextDouble()), System::currentTimeMillis);
    }

    private void open(ControlLink link) {
        loop.execute(link::open);
    }

    private int totalHellos() {
        return replicas.stream().mapToInt(r -> r.controlPlane().hellos().size()).sum();
    }

    private List<Integer> spread() {
        return replicas.stream().map(r -> r.controlPlane().hellos().size()).toList();
    }

    private static ControlLink.Handler handler() {
        return new ControlLink.Handler() {
            @Override
            public Hello hello() {
                return Hello.newBuilder().setDesktopId(FakeControlPlane.DESKTOP_ID)
                        .setDesktopCredential(FakeControlPlane.SECRET).build();
            }

            @Override
            public void welcomed(Welcome welcome) {
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
