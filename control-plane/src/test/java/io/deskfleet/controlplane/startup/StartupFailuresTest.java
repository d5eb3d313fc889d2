package io.deskfleet.controlplane.startup;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.BeanInstantiationException;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StartupFailuresTest {

    /** A start refused by a setting ends on the refusal's own line, whatever Micronaut wrapped it in. */
    @Test
    void aReplicaIdOnH2EndsTheStartWithTheRefusalsLine() {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        Throwable failure = assertThrows(Throwable.class, () -> ApplicationContext.run(EmbeddedServer.class, Map.of(
                "datasources.default.url", url, "micronaut.server.port", -1, "grpc.server.port", 0,
                "deskfleet.replica.id", "eu-1")).close());

        assertEquals(Optional.of("Cannot start: DESKFLEET_REPLICA_ID is set, and replicas share a PostgreSQL"
                + " database; DATASOURCES_DEFAULT_URL is not one (jdbc:h2:mem:" + url.replaceAll(";.*", "")
                .substring("jdbc:h2:mem:".length()) + "). Unset DESKFLEET_REPLICA_ID to run one control plane on"
                + " H2, or point every replica at the same PostgreSQL."), StartupFailures.explain(failure));
    }

    @Test
    void anotherFailureIsNotExplained() {
        assertEquals(Optional.empty(), StartupFailures.explain(
                new BeanInstantiationException("Error instantiating bean", new IllegalStateException("boom"))));
    }
}
