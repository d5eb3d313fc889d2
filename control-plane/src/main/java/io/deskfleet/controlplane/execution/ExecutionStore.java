package io.deskfleet.controlplane.execution;

import io.deskfleet.api.execution.ExecutionTarget;
import io.deskfleet.api.execution.RecordStatus;
import io.deskfleet.api.execution.TaskStatus;
import io.deskfleet.controlplane.db.Database;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Writes of execution tasks and records. Reads for the REST queries live in {@link ExecutionQueries}. */
@Singleton
public class ExecutionStore {
    private static final int JDBC_BATCH = 1_000;

    private final Database db;
    /**
     * The next free record number (V42__numbered_records.sql), read from the database when the first task is created.
     * Numbers are handed out here rather than by a database sequence because a task takes a block of them, one per
     * record, and the engine computes each from the block's start; a block lost to a failed insert is a harmless gap.
     * One control plane owns its database (the engine's state is in its memory), so no other process takes numbers.
     */
    private long nextRecordKey = -1;

    public ExecutionStore(Database db) {
        this.db = db;
    }

    public boolean poolExists(String projectId, String poolId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM desktop_pools WHERE project_id = ? AND id = ?")) {
                ps.setString(1, projectId);
                ps.setString(2, poolId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** The target's desktops in the project, ordered by id (the order the gray batch is taken in). */
    public List<TargetDesktop> resolve(String projectId, ExecutionTarget target) {
        return db.query(c -> {
            if (target instanceof ExecutionTarget.Pool pool) {
                return desktops(c, "d.pool_id = ?", List.of(pool.poolId()), projectId);
            }
            if (target instanceof ExecutionTarget.Desktops list) {
                return desktopsById(c, projectId, list.desktopIds());
            }
            ExecutionTarget.Tag tag = (ExecutionTarget.Tag) target;
            return desktops(c, "EXISTS (SELECT 1 FROM desktop_tags t WHERE t.desktop_id = d.id"
                    + " AND t.tag_key = ? AND t.tag_value = ?)", List.of(tag.key(), tag.value()), projectId);
        });
    }

    /** Every (unrevoked) desktop of the project, ordered by id: what ALL_DESKTOPS targets. */
    public List<TargetDesktop> allDesktops(String projectId) {
        return db.query(c -> desktops(c, "TRUE", List.of(), projectId));
    }

    private List<TargetDesktop> desktops(Connection c, String condition, List<String> args, String projectId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT d.id, d.computer_name, d.status, d.agent_online FROM desktops d"
                + " WHERE d.project_id = ? AND d.revoked = FALSE AND " + condition + " ORDER BY d.id")) {
            ps.setString(1, projectId);
            for (int i = 0; i < args.size(); i++) {
                ps.setString(i + 2, args.get(i));
            }
            List<TargetDesktop> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new TargetDesktop(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)));
                }
            }
            return found;
        }
    }

    private List<TargetDesktop> desktopsById(Connection c, String projectId, List<String> ids) throws SQLException {
        List<TargetDesktop> found = new ArrayList<>();
        // chunks keep the IN list within what every database accepts
        for (int from = 0; from < ids.size(); from += JDBC_BATCH) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + JDBC_BATCH));
            found.addAll(desktops(c, "d.id IN (" + Database.placeholders(chunk.size()) + ")", chunk, projectId));
        }
        found.sort(Comparator.comparing(TargetDesktop::id));
        return found;
    }

    /**
     * Stores a new task with its steps and one record per desktop and step, in one transaction. A record has no
     * outcome yet: it is WAITING until {@link #apply} stores one.
     *
     * @return the numbers the task's records were stored with
     */
    public RecordKeys create(TaskDefinition task, RolloutPlan plan, Map<String, TargetDesktop> targets,
                             String retryOf, Instant now) {
        RecordKeys keys = RecordKeys.assign(reserveRecordKeys((long) plan.targetCount() * task.steps().size()), plan,
                task.steps().size());
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO execution_tasks (id, project_id, pool_id, task_type, status, gray_fail_threshold,
                        execution_timeout, pre_start, post_finish, target_count, success_num, failed_num, skip_num,
                        retry_of, created_at, start_time, record_id_scheme)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?, ?, ?)""")) {
                ps.setString(1, task.id());
                ps.setString(2, task.projectId());
                ps.setString(3, task.poolId());
                ps.setString(4, task.taskType().name());
                ps.setString(5, TaskStatus.RUNNING.name());
                ps.setInt(6, plan.hasGrayBatch() ? plan.grayFailThreshold() : 0);
                ps.setInt(7, task.executionTimeoutMinutes());
                ps.setString(8, task.preStart().name());
                ps.setString(9, task.postFinish().name());
                ps.setInt(10, plan.targetCount());
                ps.setString(11, retryOf);
                ps.setObject(12, Database.toDb(now));
                ps.setObject(13, Database.toDb(now));
                ps.setInt(14, task.recordIds().code());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO execution_task_steps (task_id, step, script_id, script_name, script_type, content)
                    VALUES (?, ?, ?, ?, ?, ?)""")) {
                for (TaskStep step : task.steps()) {
                    ps.setString(1, task.id());
                    ps.setInt(2, step.index());
                    ps.setString(3, step.scriptId());
                    ps.setString(4, step.scriptName());
                    ps.setString(5, step.type().name());
                    ps.setString(6, step.content());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO execution_records (id, task_id, project_id, desktop_id, desktop_name, step,
                        execute_order, batch_index, record_key)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                int rows = 0;
                for (int b = 0; b < plan.batches().size(); b++) {
                    RolloutPlan.Batch batch = plan.batches().get(b);
                    for (String desktopId : batch.desktopIds()) {
                        for (TaskStep step : task.steps()) {
                            long key = keys.of(desktopId, step.index());
                            ps.setString(1, task.recordId(desktopId, step.index(), key));
                            ps.setString(2, task.id());
                            ps.setString(3, task.projectId());
                            ps.setString(4, desktopId);
                            ps.setString(5, targets.get(desktopId).name());
                            ps.setInt(6, step.index());
                            ps.setInt(7, batch.order().code());
                            ps.setInt(8, b);
                            ps.setLong(9, key);
                            ps.addBatch();
                            if (++rows % JDBC_BATCH == 0) {
                                ps.executeBatch();
                            }
                        }
                    }
                }
                ps.executeBatch();
            }
            return null;
        });
        return keys;
    }

    private synchronized long reserveRecordKeys(long count) {
        if (nextRecordKey < 0) {
            nextRecordKey = db.query(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT COALESCE(MAX(record_key), 0) + 1 FROM execution_records");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
        }
        long base = nextRecordKey;
        nextRecordKey += count;
        return base;
    }

    /**
     * What one {@link #apply} did: how many records each terminal status settled (a change that found its record
     * already terminal, a duplicate or a closure replayed after a restart, settles none), the records whose
     * provisional outcome a late result replaced, and the finished tasks recounted because of that.
     */
    record Applied(Map<RecordStatus, Integer> settled, Set<String> lateRecords, Set<String> recountedTasks) {
    }

    /** Applies a batch of changes in one transaction, each kind as one JDBC batch, late results last. */
    Applied apply(List<RecordChange> changes) {
        Map<RecordStatus, Integer> settled = new EnumMap<>(RecordStatus.class);
        Set<String> late = new LinkedHashSet<>();
        Set<String> recounted = new LinkedHashSet<>();
        if (changes.isEmpty()) {
            return new Applied(settled, late, recounted);
        }
        List<RecordStatus> finishedFromRunning = new ArrayList<>();
        List<RecordStatus> finishedStatuses = new ArrayList<>();
        List<RecordStatus> closedStatuses = new ArrayList<>();
        db.inTransaction(c -> {
            // Outcomes are inserted, and a record's is updated only from RUNNING to its end: the ON CONFLICT and
            // status guards make a late or repeated change a no-op (see V40__insert_only_results.sql for why).
            try (PreparedStatement started = c.prepareStatement("""
                    INSERT INTO execution_results (record_key, status, start_time) VALUES (?, 'RUNNING', ?)
                    ON CONFLICT DO NOTHING""");
                 PreparedStatement finishRunning = c.prepareStatement("""
                    UPDATE execution_results SET status = ?, result_code = ?, reason = ?, exit_code = ?, output = ?,
                        output_truncated = ?, start_time = COALESCE(start_time, ?), end_time = ?, provisional = ?
                    WHERE record_key = ? AND status = 'RUNNING'""");
                 PreparedStatement finishWaiting = c.prepareStatement("""
                    INSERT INTO execution_results (status, result_code, reason, exit_code, output, output_truncated,
                        start_time, end_time, provisional, record_key)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""");
                 PreparedStatement closed = c.prepareStatement("""
                    INSERT INTO execution_results (record_key, status, reason, end_time)
                    SELECT r.record_key, ?, ?, ? FROM execution_records r
                    WHERE r.task_id = ? AND r.desktop_id = ?
                        AND NOT EXISTS (SELECT 1 FROM execution_results x WHERE x.record_key = r.record_key)""");
                 PreparedStatement task = c.prepareStatement("""
                    UPDATE execution_tasks SET status = ?, success_num = ?, failed_num = ?, skip_num = ?,
                        end_time = COALESCE(end_time, ?)
                    WHERE id = ?""")) {
                List<RecordChange.Reported> reported = new ArrayList<>();
                for (RecordChange change : changes) {
                    if (change instanceof RecordChange.Reported r) {
                        reported.add(r);
                    } else if (change instanceof RecordChange.Started s) {
                        started.setLong(1, s.recordKey());
                        started.setObject(2, Database.toDb(s.startTime()));
                        started.addBatch();
                    } else if (change instanceof RecordChange.Finished f) {
                        if (f.reportedRunning()) {
                            bindFinished(finishRunning, f);
                            finishRunning.addBatch();
                            finishedFromRunning.add(f.outcome().status());
                        }
                        bindFinished(finishWaiting, f);
                        finishWaiting.addBatch();
                        finishedStatuses.add(f.outcome().status());
                    } else if (change instanceof RecordChange.Closed cl) {
                        for (String desktopId : cl.desktopIds()) {
                            closed.setString(1, cl.status().name());
                            closed.setString(2, cl.reason());
                            closed.setObject(3, Database.toDb(cl.endTime()));
                            closed.setString(4, cl.taskId());
                            closed.setString(5, desktopId);
                            closed.addBatch();
                            closedStatuses.add(cl.status());
                        }
                    } else if (change instanceof RecordChange.TaskState t) {
                        task.setString(1, t.status().name());
                        task.setInt(2, t.counts().successNum());
                        task.setInt(3, t.counts().failedNum());
                        task.setInt(4, t.counts().skipNum());
                        task.setObject(5, Database.toDb(t.endTime()));
                        task.setString(6, t.taskId());
                        task.addBatch();
                    }
                }
                // started before finished: a record that started and ended within one batch passes through RUNNING.
                started.executeBatch();
                // a finish settles its record once: from RUNNING by the update, or from WAITING by the insert
                count(finishedFromRunning, finishRunning.executeBatch(), settled);
                count(finishedStatuses, finishWaiting.executeBatch(), settled);
                count(closedStatuses, closed.executeBatch(), settled);
                task.executeBatch();
                // After every other change: the provisional outcome a late result replaces, and the final state of
                // the task it recounts, may be in this same batch.
                for (RecordChange.Reported r : reported) {
                    Optional<String> taskId = replaceProvisional(c, r);
                    if (taskId.isPresent()) {
                        late.add(r.recordId());
                        if (r.recount() && recount(c, taskId.get())) {
                            recounted.add(taskId.get());
                        }
                    }
                }
            }
            return null;
        });
        return new Applied(settled, late, recounted);
    }

    /**
     * Stores a late result in place of its record's provisional outcome, marked late.
     *
     * @return the record's task when the outcome was replaced; empty when it was not provisional (the agent had
     *         reported it already) or the id is not one of this desktop's records
     */
    private static Optional<String> replaceProvisional(Connection c, RecordChange.Reported r) throws SQLException {
        long key;
        String taskId;
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT r.record_key, r.task_id FROM execution_records r
                    JOIN execution_results x ON x.record_key = r.record_key
                WHERE r.id = ? AND r.desktop_id = ? AND x.provisional = TRUE""")) {
            ps.setString(1, r.recordId());
            ps.setString(2, r.desktopId());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                key = rs.getLong(1);
                taskId = rs.getString(2);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE execution_results SET status = ?, result_code = ?, reason = ?, exit_code = ?, output = ?,
                    output_truncated = ?, start_time = COALESCE(?, start_time), end_time = ?, provisional = FALSE,
                    late_result = TRUE
                WHERE record_key = ? AND provisional = TRUE""")) {
            bindOutcome(ps, r.outcome(), r.output(), r.outputTruncated(), r.startTime(), r.endTime());
            ps.setLong(9, key);
            return ps.executeUpdate() == 1 ? Optional.of(taskId) : Optional.empty();
        }
    }

    /**
     * Recounts a finished task from its records after a late result, by {@link TaskProgress}'s rules (see
     * {@link ExecutionQueries#DESKTOP_OUTCOMES}); the task stays CANCELLED if it was stopped, is FAILED if a desktop
     * failed or the gray batch halted it, CANCELLED if nothing succeeded, SUCCESS otherwise.
     *
     * @return false when the task has not finished: the engine that runs it keeps its counts
     */
    private static boolean recount(Connection c, String taskId) throws SQLException {
        TaskStatus current;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT status FROM execution_tasks WHERE id = ? AND end_time IS NOT NULL")) {
            ps.setString(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                current = TaskStatus.valueOf(rs.getString(1));
            }
        }
        int failed;
        int succeeded;
        int desktops;
        boolean halted;
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(d.failed), 0),"
                + " COALESCE(SUM(d.succeeded), 0), COUNT(*), COALESCE(MAX(d.halted), 0)"
                + " FROM (" + ExecutionQueries.DESKTOP_OUTCOMES + ") d")) {
            ps.setString(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                failed = rs.getInt(1);
                succeeded = rs.getInt(2);
                desktops = rs.getInt(3);
                halted = rs.getInt(4) > 0;
            }
        }
        TaskStatus status = current == TaskStatus.CANCELLED ? TaskStatus.CANCELLED
                : failed > 0 || halted ? TaskStatus.FAILED
                : succeeded == 0 ? TaskStatus.CANCELLED : TaskStatus.SUCCESS;
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE execution_tasks SET status = ?, success_num = ?, failed_num = ?, skip_num = ? WHERE id = ?")) {
            ps.setString(1, status.name());
            ps.setInt(2, succeeded);
            ps.setInt(3, failed);
            ps.setInt(4, desktops - failed - succeeded);
            ps.setString(5, taskId);
            ps.executeUpdate();
        }
        return true;
    }

    /** Binds a finish to the columns both finish statements share, in the same order. */
    private static void bindFinished(PreparedStatement ps, RecordChange.Finished f) throws SQLException {
        bindOutcome(ps, f.outcome(), f.output(), f.outputTruncated(), f.startTime(), f.endTime());
        ps.setBoolean(9, f.provisional());
        ps.setLong(10, f.recordKey());
    }

    /** Binds parameters 1 to 8: status, result_code, reason, exit_code, output, output_truncated, start, end. */
    private static void bindOutcome(PreparedStatement ps, StepOutcome o, String output, boolean truncated,
                                    Instant start, Instant end) throws SQLException {
        ps.setString(1, o.status().name());
        ps.setString(2, o.resultCode());
        ps.setString(3, o.reason());
        if (o.exitCode() == null) {
            ps.setNull(4, Types.INTEGER);
        } else {
            ps.setInt(4, o.exitCode());
        }
        ps.setString(5, output);
        ps.setBoolean(6, truncated);
        ps.setObject(7, Database.toDb(start));
        ps.setObject(8, Database.toDb(end));
    }

    private static void count(List<RecordStatus> statuses, int[] rowsUpdated, Map<RecordStatus, Integer> settled) {
        for (int i = 0; i < rowsUpdated.length; i++) {
            if (rowsUpdated[i] > 0) {
                settled.merge(statuses.get(i), rowsUpdated[i], Integer::sum);
            }
        }
    }
}
