package io.deskfleet.controlplane.agentlink;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.util.Map;

/** /health/readiness is DOWN while the agent gRPC server is not listening: agents could not connect. */
@Singleton
@Readiness
public class AgentLinkReadiness implements HealthIndicator {
    private final AgentLinkServer server;

    public AgentLinkReadiness(AgentLinkServer server) {
        this.server = server;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        boolean listening = server.isListening();
        HealthResult.Builder result = HealthResult.builder("agent-link", listening ? HealthStatus.UP
                : HealthStatus.DOWN);
        return Publishers.just(listening ? result.details(Map.of("port", server.port())).build() : result.build());
    }
}
