package io.deskfleet.controlplane.agentlink;

import io.grpc.ServerBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * The one replaced bean of the in-process agent-link tests: the transport. A test that sets {@link #PROPERTY} to a
 * name from {@link InProcessServerBuilder#generateName()} gets the real AgentLink service on an in-process server of
 * that name, and reaches it with {@code InProcessChannelBuilder.forName(name)} (grpc-java's route_guide tests).
 */
@Factory
@Requires(property = InProcessAgentLink.PROPERTY)
class InProcessAgentLink {
    static final String PROPERTY = "deskfleet.test.in-process-agent-link";

    @Singleton
    @Replaces(value = ServerBuilder.class, factory = AgentLinkTransport.class)
    ServerBuilder<?> inProcessServerBuilder(@Value("${" + PROPERTY + "}") String name) {
        return InProcessServerBuilder.forName(name);
    }
}
