package io.deskfleet.controlplane.auth;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.Optional;

/**
 * The {@code project_roles} table. POSTGRES dialect: the production database, and the mode the embedded H2 runs
 * in. The queries by one half of the composite key and the join with {@code users} are written out.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface ProjectRoleRepository extends GenericRepository<ProjectRoleRow, ProjectRoleRow.Key> {
    void save(ProjectRoleRow role);

    Optional<ProjectRoleRow> findById(ProjectRoleRow.Key key);

    void deleteById(ProjectRoleRow.Key key);

    @Query("DELETE FROM project_roles WHERE user_id = :userId AND project_id = :projectId")
    int delete(String userId, String projectId);

    @Query("SELECT project_id FROM project_roles WHERE user_id = :userId")
    List<String> projectsOf(String userId);

    @Query("""
            SELECT u.id AS user_id, u.name AS user_name, r.role FROM project_roles r JOIN users u ON u.id = r.user_id
            WHERE r.project_id = :projectId ORDER BY u.name""")
    List<ProjectRoleStore.Member> members(String projectId);
}
