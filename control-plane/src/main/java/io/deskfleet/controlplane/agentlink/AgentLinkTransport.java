package io.deskfleet.controlplane.agentlink;

import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * The agent server's transport: netty on grpc.server.port (0 picks a free port) with {@link AgentLinkTls}'s
 * security. {@link AgentLinkServer} takes the builder as grpc-java's route_guide server takes a ServerBuilder, so a
 * test can replace this bean with an in-process builder and still run the real service, executor and lifecycle.
 */
@Factory
public class AgentLinkTransport {
    private static final Logger LOG = LoggerFactory.getLogger(AgentLinkTransport.class);

    @Singleton
    ServerBuilder<?> agentLinkServerBuilder(AgentLinkTls tls, @Value("${grpc.server.port:9090}") int port) {
        LOG.info("agent link transport netty port={} security={}", port, tls.mode());
        return AgentConnectionSettings.applyTo(NettyServerBuilder.forPort(port, tls.credentials()));
    }
}
