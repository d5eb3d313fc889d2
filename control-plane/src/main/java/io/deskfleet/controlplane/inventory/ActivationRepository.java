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
     * Counts a batch's registrations; 0 when they would pass the limit. The guard in the WHERE clause keeps the count
     * within the limit whatever else changed the row, which a read-then-update of the entity would not.
     */
    @Query("""
            UPDATE agent_activations SET registrations_count = registrations_count + :added
            WHERE id = :id AND registrations_count + :added <= registration_limit""")
    int countRegistrations(String id, int added);
}
