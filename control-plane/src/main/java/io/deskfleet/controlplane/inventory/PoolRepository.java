package io.deskfleet.controlplane.inventory;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.Optional;

/**
 * The {@code desktop_pools} table. POSTGRES dialect: the production database, and the mode the embedded H2 runs
 * in. Reads are written out because each pool's desktop counts come from correlated subqueries in the same query.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface PoolRepository extends GenericRepository<PoolRow, String> {
    String VIEW = """
            SELECT p.id, p.name, p.description, p.type, p.created_at,
                   (SELECT COUNT(*) FROM desktops d WHERE d.project_id = p.project_id AND d.pool_id = p.id
                                                      AND d.revoked = FALSE) AS desktops,
                   (SELECT COUNT(*) FROM desktops d WHERE d.project_id = p.project_id AND d.pool_id = p.id
                                                      AND d.agent_online = TRUE) AS online
            FROM desktop_pools p
            """;

    void save(PoolRow pool);

    boolean existsByProjectIdAndId(String projectId, String id);

    long countByProjectId(String projectId);

    @Query(VIEW + "WHERE p.project_id = :projectId ORDER BY p.created_at, p.id LIMIT :limit OFFSET :offset")
    List<PoolView> page(String projectId, int limit, int offset);

    @Query(VIEW + "WHERE p.project_id = :projectId AND p.id = :id")
    Optional<PoolView> find(String projectId, String id);
}
