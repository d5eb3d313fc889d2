package io.deskfleet.controlplane.agentlink;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.deskfleet.controlplane.startup.PortInUseException;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent gRPC server, on the transport {@link AgentLinkTransport} builds (netty on grpc.server.port; see
 * {@link #port()}). Handlers run on a small fixed pool, not a thread per stream: netty multiplexes thousands of
 * streams and gRPC serializes each call's callbacks on that pool.
 */
@Context
public class AgentLinkServer {
    private static final Logger LOG = LoggerFactory.getLogger(AgentLinkServer.class);

    private final ServerBuilder<?> serverBuilder;
    private final AgentLinkService service;
    private final AgentSessions sessions;
    private final PresenceMonitor presence;
    private final StreamRegistry registry;
    private final Clock clock;
    private final int configuredPort;
    private ExecutorService executor;
    private volatile Server server;

    public AgentLinkServer(ServerBuilder<?> serverBuilder, AgentLinkService service, AgentSessions sessions,
                           PresenceMonitor presence, StreamRegistry registry, Clock clock,
                           @Value("${grpc.server.port:9090}") int configuredPort) {
        this.serverBuilder = serverBuilder;
        this.service = service;
        this.sessions = sessions;
        this.presence = presence;
        this.registry = registry;
        this.clock = clock;
        this.configuredPort = configuredPort;
    }

    @PostConstruct
    void start() {
        GrpcLogLimit.install(clock);
        int reset = registry.reset();
        executor = Executors.newFixedThreadPool(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
                named("agent-link-"));
        try {
            server = serverBuilder.executor(executor).addService(service).build().start();
        } catch (IOException e) {
            executor.shutdownNow();
            if (PortInUseException.isAddressInUse(e)) {
                throw new PortInUseException("agent gRPC", configuredPort, "GRPC_SERVER_PORT", e);
            }
            throw new UncheckedIOException("cannot start the agent gRPC server: " + e.getMessage(), e);
        }
        presence.start();
        LOG.info("agent link started listen={} desktops_marked_offline={}", server.getListenSockets(), reset);
    }

    /** False before start and once shutting down. */
    public boolean isListening() {
        Server current = server;
        return current != null && !current.isShutdown();
    }

    /** The port actually bound. */
    public int port() {
        return server.getPort();
    }

    @PreDestroy
    void stop() {
        server.shutdown();
        for (AgentSession session : sessions.all()) {
            String desktopId = session.desktopId();
            if (sessions.remove(desktopId, session, StreamEnds.Why.SHUTDOWN)) {
                session.close(Status.UNAVAILABLE.withDescription("control plane shutting down"));
                service.disconnected(session, StreamEnds.Why.SHUTDOWN);
            }
        }
        presence.stop();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        executor.shutdown();
        LOG.info("agent link stopped");
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
