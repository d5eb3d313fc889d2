package io.deskfleet.controlplane.inventory;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Optional;

/**
 * The {@code agent_activations} table. POSTGRES dialect: the production database, and the mode the embedded H2 runs
 * in.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface ActivationRepository extends GenericRepository<ActivationRow, String> {
    void save(ActivationRow activation);

    Optional<ActivationRow> findById(String id);

    /**
     * Counts one registration; 0 when the activation is used up. The guard in the WHERE clause makes the count safe
     * against concurrent registrations, which a read-then-update of the entity would not be.
     */
    @Query("""
            UPDATE agent_activations SET registrations_count = registrations_count + 1
            WHERE id = :id AND registrations_count < registration_limit""")
    int countRegistration(String id);
}
