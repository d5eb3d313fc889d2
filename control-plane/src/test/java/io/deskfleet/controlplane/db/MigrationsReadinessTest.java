package io.deskfleet.controlplane.db;

import io.micronaut.flyway.FlywayConfigurationProperties;
import io.micronaut.flyway.event.MigrationFinishedEvent;
import io.micronaut.health.HealthStatus;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MigrationsReadinessTest {

    @Test
    void downUntilFlywayHasMigrated() {
        MigrationsReadiness readiness = new MigrationsReadiness();
        assertEquals(HealthStatus.DOWN, status(readiness));
        readiness.onApplicationEvent(new MigrationFinishedEvent(new FlywayConfigurationProperties("default")));
        assertEquals(HealthStatus.UP, status(readiness));
    }

    private static HealthStatus status(MigrationsReadiness readiness) {
        return Mono.from(readiness.getResult()).block().getStatus();
    }
}
