package io.deskfleet.controlplane.script;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The {@code scripts} table. POSTGRES dialect: the production database, and the mode the embedded H2 runs in.
 * The list filters are optional, so their queries are written out with {@code :x IS NULL OR ...} rather than one
 * derived method per combination; the name filter is a substring match whose pattern the caller escapes.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface ScriptRepository extends GenericRepository<ScriptRow, String> {
    String FILTER = """
            WHERE project_id = :projectId AND (:id IS NULL OR id = :id)
              AND (:namePattern IS NULL OR LOWER(name) LIKE :namePattern ESCAPE '\\')
              AND (:type IS NULL OR script_type = :type)""";

    void save(ScriptRow script);

    List<ScriptRow> findByProjectIdAndIdIn(String projectId, Collection<String> id);

    @Query("""
            UPDATE scripts SET name = :name, content = :content, description = :description,
                               script_version = :version, updated_at = :updatedAt
            WHERE project_id = :projectId AND id = :id""")
    int update(String projectId, String id, String name, String content, @Nullable String description,
               @Nullable String version, Instant updatedAt);

    int deleteByProjectIdAndId(String projectId, String id);

    @Query("SELECT COUNT(*) FROM scripts " + FILTER)
    long count(String projectId, @Nullable String id, @Nullable String namePattern, @Nullable String type);

    @Query("""
            SELECT id, name, description, script_type, script_version, created_at, updated_at FROM scripts
            """ + FILTER + " ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset")
    List<ScriptListRow> page(String projectId, @Nullable String id, @Nullable String namePattern,
                             @Nullable String type, int limit, int offset);
}
