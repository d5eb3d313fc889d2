package io.deskfleet.controlplane.execution;

import io.deskfleet.api.execution.PostFinish;
import io.deskfleet.api.execution.PreStart;
import io.deskfleet.api.execution.RecordStatus;
import io.deskfleet.api.execution.TaskStatus;
import io.deskfleet.api.execution.TaskType;
import io.deskfleet.api.script.ScriptType;
import io.deskfleet.controlplane.db.Database;
import io.deskfleet.controlplane.refusal.Refusal;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the engine, stop and retry read of stored tasks: a task and its steps, its records as recovery replays them,
 * its failed desktops, a record's owner. The REST listings are {@link TaskListQueries} and
 * {@link RecordListQueries}. Hand-written JDBC: these read the execution tables through the record status and
 * desktop outcome expressions below, which every query of a record's status shares, on indexes chosen for them
 * (V40__insert_only_results.sql).
 */
@Singleton
public class ExecutionQueries {
    /**
     * A record's status: its outcome's, or WAITING while it has none (V40__insert_only_results.sql). Every query of
     * a record's status goes through this and {@link #WITH_OUTCOME}.
     */
    public static final String RECORD_STATUS = "COALESCE(x.status, 'WAITING')";
    /** Joins a record {@code r} to its outcome {@code x}, if it has one. */
    public static final String WITH_OUTCOME = " LEFT JOIN execution_results x ON x.record_key = r.record_key ";
    /** The statuses that count as failed_num, as an SQL list: {@code x.status IN (...)}. */
    private static final String FAILURE_STATUSES = Arrays.stream(RecordStatus.values()).filter(RecordStatus::isFailure)
            .map(s -> "'" + s.name() + "'").collect(Collectors.joining(", ", "(", ")"));
    /**
     * How each desktop of the task {@code ?} ended, by {@link TaskProgress}'s rules: {@code failed} 1 when a script
     * failed, or when a later script was skipped after the first one ran (a late SUCCESS replaced the provisional
     * failure that skipped it: the desktop still did not run all its scripts); {@code succeeded} 1 when every script
     * succeeded; {@code halted} 1 when its first script was skipped, which only a halted gray batch does.
     */
    static final String DESKTOP_OUTCOMES = "SELECT r.desktop_id,"
            + " CASE WHEN SUM(CASE WHEN x.status IN " + FAILURE_STATUSES + " THEN 1 ELSE 0 END) > 0"
            + "   OR (SUM(CASE WHEN r.step > 0 AND x.status = 'SKIPPED' THEN 1 ELSE 0 END) > 0"
            + "     AND SUM(CASE WHEN r.step = 0 AND x.status = 'SKIPPED' THEN 1 ELSE 0 END) = 0)"
            + "   THEN 1 ELSE 0 END AS failed,"
            + " CASE WHEN SUM(CASE WHEN x.status = 'SUCCESS' THEN 1 ELSE 0 END) = COUNT(*) THEN 1 ELSE 0 END"
            + "   AS succeeded,"
            + " MAX(CASE WHEN r.step = 0 AND x.status = 'SKIPPED' THEN 1 ELSE 0 END) AS halted"
            + " FROM execution_records r" + WITH_OUTCOME + " WHERE r.task_id = ? GROUP BY r.desktop_id";

    private final Database db;

    public ExecutionQueries(Database db) {
        this.db = db;
    }

    /** A stored task as retry sees it. */
    public record StoredTask(String id, String projectId, String poolId, TaskType taskType, TaskStatus status,
                             int grayFailThreshold, int executionTimeoutMinutes, PreStart preStart,
                             PostFinish postFinish, RecordIds recordIds) {
    }

    private static final String TASK_COLUMNS = "id, project_id, pool_id, task_type, status, gray_fail_threshold,"
            + " execution_timeout, pre_start, post_finish, record_id_scheme";

    private static StoredTask storedTask(ResultSet rs) throws SQLException {
        return new StoredTask(rs.getString(1), rs.getString(2), rs.getString(3), TaskType.valueOf(rs.getString(4)),
                TaskStatus.valueOf(rs.getString(5)), rs.getInt(6), rs.getInt(7), PreStart.valueOf(rs.getString(8)),
                PostFinish.valueOf(rs.getString(9)), RecordIds.ofCode(rs.getInt(10)));
    }

    /** Tasks the engine was running when the control plane stopped: not over, or stopped but not yet settled. */
    /** What makes a task unfinished and runnable: not over, and not held for an approval it has not got. */
    public static final String UNFINISHED = "(status IN ('WAITING', 'RUNNING') OR (status = 'CANCELLED' AND end_time IS NULL))"
            // a task held for approval runs only once approved (approval package)
            + " AND NOT EXISTS (SELECT 1 FROM task_approvals a WHERE a.task_id = execution_tasks.id"
            + " AND a.status <> 'APPROVED')";

    public List<StoredTask> unfinishedTasks() {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + TASK_COLUMNS + " FROM execution_tasks"
                    + " WHERE " + UNFINISHED + " ORDER BY created_at"); ResultSet rs = ps.executeQuery()) {
                List<StoredTask> tasks = new ArrayList<>();
                while (rs.next()) {
                    tasks.add(storedTask(rs));
                }
                return tasks;
            }
        });
    }

    /** The task if it is unfinished (see {@link #UNFINISHED}), whatever its project. */
    public Optional<StoredTask> unfinishedTask(String taskId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + TASK_COLUMNS + " FROM execution_tasks"
                    + " WHERE id = ? AND " + UNFINISHED)) {
                ps.setString(1, taskId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(storedTask(rs)) : Optional.empty();
                }
            }
        });
    }

    /** One record as recovery replays it. */
    public record StoredRecord(String desktopId, int step, int executeOrder, int batchIndex, RecordStatus status,
                               Instant startTime, long key, boolean provisional) {
    }

    /** Every record of a task, in the order its outcomes can be replayed: batch, desktop, step. */
    public List<StoredRecord> recordsOf(String taskId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT r.desktop_id, r.step, r.execute_order,"
                    + " r.batch_index, " + RECORD_STATUS + ", x.start_time, r.record_key, x.provisional"
                    + " FROM execution_records r"
                    + WITH_OUTCOME
                    + " WHERE r.task_id = ? ORDER BY r.batch_index, r.desktop_id, r.step")) {
                ps.setString(1, taskId);
                List<StoredRecord> records = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        records.add(new StoredRecord(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4),
                                RecordStatus.valueOf(rs.getString(5)), instant(rs, 6), rs.getLong(7),
                                rs.getBoolean(8)));
                    }
                }
                return records;
            }
        });
    }

    public Optional<StoredTask> task(String projectId, String taskId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + TASK_COLUMNS
                    + " FROM execution_tasks WHERE project_id = ? AND id = ?")) {
                ps.setString(1, projectId);
                ps.setString(2, taskId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(storedTask(rs)) : Optional.empty();
                }
            }
        });
    }

    public StoredTask requireTask(String projectId, String taskId) {
        return task(projectId, taskId).orElseThrow(
                () -> Refusal.notFound("Task " + taskId + " does not exist.").asException());
    }

    public List<TaskStep> steps(String taskId) {
        return db.query(c -> stepsOf(c, List.of(taskId)).getOrDefault(taskId, List.of()));
    }

    /** The ids of every record of the task (each desktop and step), in no particular order. */
    public List<String> recordIdsOf(String taskId) {
        return stringsOfTask("SELECT id FROM execution_records WHERE task_id = ?", taskId);
    }

    /** Desktops of the task counted in failed_num (see {@link #DESKTOP_OUTCOMES}), by desktop id. */
    public List<String> failedDesktops(String taskId) {
        return stringsOfTask("SELECT d.desktop_id FROM (" + DESKTOP_OUTCOMES + ") d WHERE d.failed = 1"
                + " ORDER BY d.desktop_id", taskId);
    }

    /** The first column of a query whose one parameter is the task id. */
    private List<String> stringsOfTask(String sql, String taskId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, taskId);
                List<String> values = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        values.add(rs.getString(1));
                    }
                }
                return values;
            }
        });
    }

    /** The task and desktop a record belongs to. */
    public record RecordOwner(String taskId, String desktopId) {
    }

    public RecordOwner requireRecordOwner(String projectId, String recordId) {
        return db.query(c -> {
            try (PreparedStatement ps = Database.prepare(c, "SELECT task_id, desktop_id FROM execution_records"
                    + " WHERE project_id = ? AND id = ?", List.of(projectId, recordId));
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw Refusal.notFound("Record " + recordId + " does not exist.").asException();
                }
                return new RecordOwner(rs.getString(1), rs.getString(2));
            }
        });
    }

    /** The steps of each of these tasks, in step order. */
    static Map<String, List<TaskStep>> stepsOf(Connection c, List<String> taskIds) throws SQLException {
        Map<String, List<TaskStep>> steps = new HashMap<>();
        if (taskIds.isEmpty()) {
            return steps;
        }
        try (PreparedStatement ps = Database.prepare(c, "SELECT task_id, step, script_id, script_name, script_type, content"
                + " FROM execution_task_steps WHERE task_id IN (" + Database.placeholders(taskIds.size()) + ") ORDER BY task_id, step",
                new ArrayList<>(taskIds)); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                steps.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new TaskStep(rs.getInt(2),
                        rs.getString(3), rs.getString(4), ScriptType.valueOf(rs.getString(5)), rs.getString(6)));
            }
        }
        return steps;
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        return Database.fromDb(rs.getObject(column, OffsetDateTime.class));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return Database.fromDb(rs.getObject(column, OffsetDateTime.class));
    }


}
