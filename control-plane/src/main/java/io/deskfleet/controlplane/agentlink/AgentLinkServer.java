package io.deskfleet.controlplane.agentlink;

import io.deskfleet.controlplane.inventory.DesktopStore;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
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
 * The agent gRPC server on grpc.server.port (0 picks a free port; see {@link #port()}). Handlers run on a small
 * fixed pool, not a thread per stream: netty multiplexes thousands of streams and gRPC serializes each call's
 * callbacks on that pool.
 */
@Context
public class AgentLinkServer {
    private static final Logger LOG = LoggerFactory.getLogger(AgentLinkServer.class);

    private final AgentLinkService service;
    private final AgentSessions sessions;
    private final PresenceMonitor presence;
    private final DesktopStore desktops;
    private final AgentLinkTls tls;
    private final Clock clock;
    private final int configuredPort;
    private ExecutorService executor;
    private volatile Server server;

    public AgentLinkServer(AgentLinkService service, AgentSessions sessions, PresenceMonitor presence,
                           DesktopStore desktops, AgentLinkTls tls, Clock clock,
                           @Value("${grpc.server.port:9090}") int configuredPort) {
        this.service = service;
        this.sessions = sessions;
        this.presence = presence;
        this.desktops = desktops;
        this.tls = tls;
        this.clock = clock;
        this.configuredPort = configuredPort;
    }

    @PostConstruct
    void start() {
        ServerCredentials credentials = tls.credentials();
        GrpcLogLimit.install(clock);
        int reset = desktops.markAllOffline();
        executor = Executors.newFixedThreadPool(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
                named("agent-link-"));
        try {
            server = AgentConnectionSettings.applyTo(NettyServerBuilder.forPort(configuredPort, credentials))
                    .executor(executor)
                    .addService(service)
                    .build()
                    .start();
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot start the agent gRPC server on port " + configuredPort, e);
        }
        presence.start();
        LOG.info("agent link started port={} transport={} desktops_marked_offline={}", server.getPort(), tls.mode(),
                reset);
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
            if (sessions.remove(desktopId, session)) {
                session.close(Status.UNAVAILABLE.withDescription("control plane shutting down"));
                service.disconnected(desktopId);
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
