package io.deskfleet.controlplane.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micronaut.configuration.metrics.aggregator.MeterRegistryConfigurer;
import jakarta.inject.Singleton;

/**
 * Says on /prometheus which replica is scraped: every meter carries the tag {@code replica} ({@link Replica#id()},
 * "single" without DESKFLEET_REPLICA_ID), so the series of several replicas stay apart once collected, and
 * {@code deskfleet_replica_info{replica="..."} 1} names the replica even before anything has been counted.
 */
@Singleton
public class ReplicaMetrics implements MeterRegistryConfigurer<MeterRegistry>, MeterBinder {
    private final Replica replica;

    public ReplicaMetrics(Replica replica) {
        this.replica = replica;
    }

    /** The tag, on each registry as it is created, before any meter: a meter registered earlier would lack it. */
    @Override
    public void configure(MeterRegistry registry) {
        registry.config().commonTags("replica", replica.id());
    }

    /** The gauge, bound like the JVM's meters once the registries are configured. */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("deskfleet.replica.info", () -> 1)
                .description("Always 1; its replica tag says which control plane replica this is")
                .register(registry);
    }

    @Override
    public Class<MeterRegistry> getType() {
        return MeterRegistry.class;
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }
}
