package io.deskfleet.controlplane.agentlink;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;

/** deskfleet.agents.connected: the agent streams open now (read at scrape time, nothing to maintain). */
@Context
public class AgentMetrics {
    public AgentMetrics(MeterRegistry registry, AgentSessions sessions) {
        Gauge.builder("deskfleet.agents.connected", sessions, AgentSessions::connectedCount)
                .description("Agents with an open stream to this control plane")
                .register(registry);
    }
}
