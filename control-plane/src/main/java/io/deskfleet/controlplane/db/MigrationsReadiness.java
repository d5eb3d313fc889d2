package io.deskfleet.controlplane.db;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.flyway.event.MigrationFinishedEvent;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/** /health/readiness is DOWN until Flyway has brought the schema up to date. */
@Singleton
@Readiness
public class MigrationsReadiness implements HealthIndicator, ApplicationEventListener<MigrationFinishedEvent> {
    private volatile boolean migrated;

    @Override
    public void onApplicationEvent(MigrationFinishedEvent event) {
        migrated = true;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.just(HealthResult.builder("database-migrations", migrated ? HealthStatus.UP
                : HealthStatus.DOWN).build());
    }
}
