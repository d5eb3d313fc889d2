package io.deskfleet.controlplane.fuzz;

import io.deskfleet.controlplane.ThrowawayPostgres;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.condition.EnabledIf;

import java.util.Map;

/**
 * {@link RestFuzzTest}'s requests against a control plane on PostgreSQL, the production database: it refuses what
 * H2 stores (NUL in text), and its errors differ from H2's, so a value that slips past
 * validation answers 500 here. Skipped, saying why, where the machine has no PostgreSQL server binaries.
 */
@MicronautTest(transactional = false)
@EnabledIf(value = "postgresInstalled", disabledReason = "no PostgreSQL server binaries under /usr/lib/postgresql")
class RestFuzzOnPostgresTest extends RestFuzzTest {

    static boolean postgresInstalled() {
        return ThrowawayPostgres.installedBinaries().isPresent();
    }

    /** Fewer random mixes than on H2 (the systematic mutations are all kept): each request costs more here. */
    @Override
    int randomPerEndpoint() {
        return 20;
    }

    @Override
    public @NonNull Map<String, String> getProperties() {
        Map<String, String> p = super.getProperties();
        p.putAll(ThrowawayPostgres.datasource());
        return p;
    }
}
