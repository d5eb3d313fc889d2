package io.deskfleet.controlplane.schedule;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The {@code scheduled_tasks} table. POSTGRES dialect: the production database, and the mode the embedded H2 runs
 * in. The list filters are optional, so their queries are written out with {@code :x IS NULL OR ...} rather than one
 * derived method per combination. A fire's claim and outcome are {@link FireStore}'s hand-tuned SQL.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface ScheduledTaskRepository extends GenericRepository<ScheduledTaskRow, String> {
    String FILTER = """
            WHERE project_id = :projectId
              AND (:namePattern IS NULL OR task_name LIKE :namePattern ESCAPE '\\')
              AND (:taskType IS NULL OR task_type = :taskType)
              AND (:scheduledType IS NULL OR scheduled_type = :scheduledType)
              AND (:lifeCycleType IS NULL OR life_cycle_type = :lifeCycleType)
              AND (:lastStatus IS NULL OR last_status = :lastStatus)""";

    void save(ScheduledTaskRow task);

    void update(ScheduledTaskRow task);

    Optional<ScheduledTaskRow> findById(String id);

    Optional<ScheduledTaskRow> findByProjectIdAndId(String projectId, String id);

    /** Locks the row until the transaction ends, so that a fire's last status is not overwritten by a modify. */
    Optional<ScheduledTaskRow> findByProjectIdAndIdForUpdate(String projectId, String id);

    @Query("""
            SELECT * FROM scheduled_tasks WHERE project_id = :projectId AND life_cycle_type = :lifeCycleType
              AND scheduled_type = 'LIFE_CYCLE' AND enabled = TRUE""")
    List<ScheduledTaskRow> enabledLifeCycle(String projectId, String lifeCycleType);

    @Query("SELECT COUNT(*) FROM scheduled_tasks " + FILTER)
    long count(String projectId, @Nullable String namePattern, @Nullable String taskType,
               @Nullable String scheduledType, @Nullable String lifeCycleType, @Nullable String lastStatus);

    @Query("SELECT * FROM scheduled_tasks " + FILTER + " ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset")
    List<ScheduledTaskRow> page(String projectId, @Nullable String namePattern, @Nullable String taskType,
                                @Nullable String scheduledType, @Nullable String lifeCycleType,
                                @Nullable String lastStatus, int limit, int offset);

    List<String> findIdByProjectIdAndIdIn(String projectId, Collection<String> id);

    void deleteByProjectIdAndIdIn(String projectId, Collection<String> id);
}
