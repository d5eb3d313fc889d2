package io.deskfleet.controlplane.execution;

import io.deskfleet.api.common.Page;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.execution.PoolScriptExecutionTask;
import io.deskfleet.api.execution.PoolScriptExecutionTaskListResponse;
import io.deskfleet.api.execution.PostFinish;
import io.deskfleet.api.execution.PreStart;
import io.deskfleet.api.execution.RecordStatus;
import io.deskfleet.api.execution.ScriptExecutionRecord;
import io.deskfleet.api.execution.ScriptExecutionRecordDetail;
import io.deskfleet.api.execution.ScriptExecutionRecordListResponse;
import io.deskfleet.api.execution.ScriptExecutionTask;
import io.deskfleet.api.execution.ScriptExecutionTaskListResponse;
import io.deskfleet.api.execution.TaskScript;
import io.deskfleet.api.execution.TaskStatus;
import io.deskfleet.api.execution.TaskType;
import io.deskfleet.api.script.ScriptType;
import io.deskfleet.controlplane.db.Database;
import io.deskfleet.controlplane.db.Times;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads of tasks and records for the REST API, and what stop and retry need to know of a stored task. */
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
    private static final String RECORD_COLUMNS = " r.id, r.task_id, r.desktop_id, r.desktop_name, r.step,"
            + " r.execute_order, " + RECORD_STATUS + " AS status, x.result_code, x.reason, x.start_time, x.end_time,"
            + " x.late_result, s.script_id, s.script_name ";
    private static final String RECORD_FROM = " FROM execution_records r" + WITH_OUTCOME
            + " JOIN execution_tasks t ON t.id = r.task_id"
            + " JOIN execution_task_steps s ON s.task_id = r.task_id AND s.step = r.step ";

    private static final String ONE_DESKTOP_RECORD_FROM = " FROM execution_tasks t"
            + " JOIN execution_records r ON r.task_id = t.id AND r.desktop_id = ?" + WITH_OUTCOME
            + " JOIN execution_task_steps s ON s.task_id = r.task_id AND s.step = r.step ";

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
    public List<StoredTask> unfinishedTasks() {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + TASK_COLUMNS + " FROM execution_tasks"
                    + " WHERE (status IN ('WAITING', 'RUNNING') OR (status = 'CANCELLED' AND end_time IS NULL))"
                    // a task held for approval runs only once approved (approval package)
                    + " AND NOT EXISTS (SELECT 1 FROM task_approvals a WHERE a.task_id = execution_tasks.id"
                    + " AND a.status <> 'APPROVED')"
                    + " ORDER BY created_at"); ResultSet rs = ps.executeQuery()) {
                List<StoredTask> tasks = new ArrayList<>();
                while (rs.next()) {
                    tasks.add(storedTask(rs));
                }
                return tasks;
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
        return task(projectId, taskId).orElseThrow(() -> ApiException.notFound("Task " + taskId + " does not exist."));
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

    public ScriptExecutionTaskListResponse tasks(String projectId, Page page, TaskFilter filter) {
        Where where = new Where("t.project_id = ?", projectId);
        if (filter.taskId() != null) {
            where.and("t.id = ?", filter.taskId());
        }
        if (filter.status() != null) {
            where.and("t.status = ?", filter.status().name());
        }
        if (filter.taskType() != null) {
            where.and("t.task_type = ?", filter.taskType().name());
        }
        if (filter.scriptId() != null) {
            where.and("EXISTS (SELECT 1 FROM execution_task_steps s WHERE s.task_id = t.id AND s.script_id = ?)",
                    filter.scriptId());
        }
        if (filter.scriptName() != null) {
            where.and("EXISTS (SELECT 1 FROM execution_task_steps s WHERE s.task_id = t.id"
                    + " AND LOWER(s.script_name) LIKE ? ESCAPE '\\')", Database.containing(filter.scriptName().toLowerCase()));
        }
        if (filter.executeTimeStart() != null) {
            where.and("t.created_at >= ?", Database.toDb(filter.executeTimeStart()));
        }
        if (filter.executeTimeEnd() != null) {
            where.and("t.created_at <= ?", Database.toDb(filter.executeTimeEnd()));
        }
        return db.query(c -> {
            long count = count(c, "SELECT COUNT(*) FROM execution_tasks t WHERE " + where.sql, where.args);
            List<ScriptExecutionTask> tasks = taskViews(c, taskRows(c, where, page)).stream()
                    .map(ProjectTask::task).toList();
            return new ScriptExecutionTaskListResponse(count, tasks);
        });
    }

    /** A task as one entry of GET script-execution-tasks shows it, with the project it belongs to. */
    public record ProjectTask(String projectId, ScriptExecutionTask task) {
    }

    /** The tasks with these ids that exist, in no particular order. */
    public List<ProjectTask> tasksByIds(Collection<String> taskIds) {
        if (taskIds.isEmpty()) {
            return List.of();
        }
        List<String> ids = List.copyOf(taskIds);
        Where where = new Where("t.id IN (" + Database.placeholders(ids.size()) + ")", ids.get(0));
        where.args.addAll(ids.subList(1, ids.size()));
        return db.query(c -> taskViews(c, taskRows(c, where, new Page(0, ids.size()))));
    }

    private static List<ProjectTask> taskViews(Connection c, List<TaskRow> rows) throws SQLException {
        List<String> ids = rows.stream().map(TaskRow::id).toList();
        Map<String, List<TaskStep>> steps = stepsOf(c, ids);
        Map<String, Targets> targets = targetsOf(c, ids);
        List<ProjectTask> tasks = new ArrayList<>();
        for (TaskRow row : rows) {
            Targets t = targets.getOrDefault(row.id(), new Targets(List.of(), List.of()));
            tasks.add(new ProjectTask(row.projectId(), new ScriptExecutionTask(row.id(),
                    taskScripts(steps.get(row.id())), "DESKTOP", t.all(), t.gray(), row.successNum(),
                    row.failedNum(), row.skipNum(), Times.iso(row.startTime()), Times.iso(row.endTime()),
                    row.status())));
        }
        return tasks;
    }

    /** Every record of a task, in the order GET script-execution-records lists them. */
    public List<ScriptExecutionRecord> recordsOfTask(String taskId) {
        return recordsWhere("r.task_id = ?", List.of(taskId));
    }

    /** The records with these ids that exist. */
    public List<ScriptExecutionRecord> recordsByIds(Collection<String> recordIds) {
        return recordIds.isEmpty() ? List.of()
                : recordsWhere("r.id IN (" + Database.placeholders(recordIds.size()) + ")", List.copyOf(recordIds));
    }

    /** Every record of these desktops in the task. */
    public List<ScriptExecutionRecord> recordsOfDesktops(String taskId, Collection<String> desktopIds) {
        if (desktopIds.isEmpty()) {
            return List.of();
        }
        List<Object> args = new ArrayList<>();
        args.add(taskId);
        args.addAll(desktopIds);
        return recordsWhere("r.task_id = ? AND r.desktop_id IN (" + Database.placeholders(desktopIds.size()) + ")",
                args);
    }

    private List<ScriptExecutionRecord> recordsWhere(String condition, List<?> args) {
        return db.query(c -> {
            List<ScriptExecutionRecord> records = new ArrayList<>();
            try (PreparedStatement ps = Database.prepare(c, "SELECT " + RECORD_COLUMNS + RECORD_FROM + " WHERE "
                    + condition + " ORDER BY r.task_id, r.batch_index, r.desktop_id, r.step", args);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    records.add(record(rs));
                }
            }
            return records;
        });
    }

    public PoolScriptExecutionTaskListResponse poolTasks(String projectId, String poolId, TaskStatus status,
                                                         Page page) {
        Where where = new Where("t.project_id = ? AND t.pool_id IS NOT NULL", projectId);
        if (poolId != null) {
            where.and("t.pool_id = ?", poolId);
        }
        if (status != null) {
            where.and("t.status = ?", status.name());
        }
        return db.query(c -> {
            long count = count(c, "SELECT COUNT(*) FROM execution_tasks t WHERE " + where.sql, where.args);
            List<TaskRow> rows = taskRows(c, where, page);
            Map<String, List<TaskStep>> steps = stepsOf(c, rows.stream().map(TaskRow::id).toList());
            Map<String, String> poolNames = poolNames(c, projectId);
            List<PoolScriptExecutionTask> tasks = new ArrayList<>();
            for (TaskRow row : rows) {
                List<TaskStep> taskSteps = steps.getOrDefault(row.id(), List.of());
                TaskStep command = row.taskType() == TaskType.COMMAND && !taskSteps.isEmpty() ? taskSteps.get(0) : null;
                tasks.add(new PoolScriptExecutionTask(row.id(), row.poolId(), poolNames.get(row.poolId()),
                        command == null ? taskScripts(taskSteps) : null,
                        command == null ? null : command.content(), command == null ? null : command.type(),
                        Times.iso(row.startTime()), Times.iso(row.endTime()), row.status(), row.successNum(),
                        row.failedNum(), row.skipNum()));
            }
            return new PoolScriptExecutionTaskListResponse(count, tasks);
        });
    }

    public ScriptExecutionRecordListResponse records(String projectId, Page page, RecordFilter filter) {
        // One desktop's records are found task by task, through (task, desktop) in the task index: no index leads
        // with the desktop (V40__insert_only_results.sql says why). H2 seeks both columns only when the desktop is
        // a join condition, so it goes in the ON clause, and its argument first.
        boolean oneDesktop = filter.resourceId() != null;
        String from = oneDesktop ? ONE_DESKTOP_RECORD_FROM : RECORD_FROM;
        Where where = new Where(oneDesktop ? "t.project_id = ?" : "r.project_id = ?", projectId);
        if (oneDesktop) {
            where.args.add(0, filter.resourceId()); // the ON clause's, which comes before the WHERE
        }
        if (filter.taskId() != null) {
            where.and("r.task_id = ?", filter.taskId());
        }
        if (filter.scriptId() != null) {
            where.and("s.script_id = ?", filter.scriptId());
        }
        if (filter.status() != null) {
            where.and(RECORD_STATUS + " = ?", filter.status().name());
        }
        if (filter.taskType() != null) {
            where.and("t.task_type = ?", filter.taskType().name());
        }
        return db.query(c -> {
            long count = count(c, "SELECT COUNT(*)" + from + " WHERE " + where.sql, where.args);
            List<Object> args = new ArrayList<>(where.args);
            args.add(page.limit());
            args.add(page.offset());
            List<ScriptExecutionRecord> records = new ArrayList<>();
            try (PreparedStatement ps = Database.prepare(c, "SELECT " + RECORD_COLUMNS + from + " WHERE " + where.sql
                    + " ORDER BY t.created_at DESC, r.task_id, r.batch_index, r.desktop_id, r.step"
                    + " LIMIT ? OFFSET ?", args); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    records.add(record(rs));
                }
            }
            return new ScriptExecutionRecordListResponse(count, records);
        });
    }

    public ScriptExecutionRecordDetail record(String projectId, String recordId) {
        return db.query(c -> {
            try (PreparedStatement ps = Database.prepare(c, "SELECT " + RECORD_COLUMNS
                    + ", x.output, x.output_truncated, x.exit_code" + RECORD_FROM
                    + " WHERE r.project_id = ? AND r.id = ?", List.of(projectId, recordId));
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound("Record " + recordId + " does not exist.");
                }
                ScriptExecutionRecord r = record(rs);
                int exitCode = rs.getInt("exit_code");
                Integer exit = rs.wasNull() ? null : exitCode;
                return new ScriptExecutionRecordDetail(r.id(), r.scriptId(), r.scriptName(), r.scriptTaskId(),
                        r.resourceId(), r.resourceName(), r.resourceType(), r.startTime(), r.endTime(), r.status(),
                        r.executeOrder(), r.resultCode(), r.reason(), rs.getString("output"),
                        rs.getBoolean("output_truncated"), exit, r.lateResult());
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
                    throw ApiException.notFound("Record " + recordId + " does not exist.");
                }
                return new RecordOwner(rs.getString(1), rs.getString(2));
            }
        });
    }

    public record TaskFilter(String taskId, TaskStatus status, TaskType taskType, String scriptId, String scriptName,
                             Instant executeTimeStart, Instant executeTimeEnd) {
    }

    public record RecordFilter(String taskId, String resourceId, String scriptId, RecordStatus status,
                               TaskType taskType) {
    }

    private record TaskRow(String id, String projectId, String poolId, TaskType taskType, TaskStatus status, int successNum,
                           int failedNum, int skipNum, Instant startTime, Instant endTime) {
    }

    private record Targets(List<String> all, List<String> gray) {
    }

    private static List<TaskRow> taskRows(Connection c, Where where, Page page) throws SQLException {
        List<Object> args = new ArrayList<>(where.args);
        args.add(page.limit());
        args.add(page.offset());
        List<TaskRow> rows = new ArrayList<>();
        try (PreparedStatement ps = Database.prepare(c, """
                SELECT t.id, t.project_id, t.pool_id, t.task_type, t.status, t.success_num, t.failed_num, t.skip_num,
                       t.start_time, t.end_time
                FROM execution_tasks t""" + " WHERE " + where.sql + " ORDER BY t.created_at DESC, t.id LIMIT ? OFFSET ?",
                args); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new TaskRow(rs.getString(1), rs.getString(2), rs.getString(3),
                        TaskType.valueOf(rs.getString(4)), TaskStatus.valueOf(rs.getString(5)), rs.getInt(6),
                        rs.getInt(7), rs.getInt(8), instant(rs, 9), instant(rs, 10)));
            }
        }
        return rows;
    }

    private static Map<String, List<TaskStep>> stepsOf(Connection c, List<String> taskIds) throws SQLException {
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

    private static Map<String, Targets> targetsOf(Connection c, List<String> taskIds) throws SQLException {
        Map<String, Targets> targets = new HashMap<>();
        if (taskIds.isEmpty()) {
            return targets;
        }
        try (PreparedStatement ps = Database.prepare(c, "SELECT task_id, desktop_id, execute_order FROM execution_records"
                + " WHERE step = 0 AND task_id IN (" + Database.placeholders(taskIds.size()) + ") ORDER BY task_id, desktop_id",
                new ArrayList<>(taskIds)); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Targets t = targets.computeIfAbsent(rs.getString(1), k -> new Targets(new ArrayList<>(),
                        new ArrayList<>()));
                t.all().add(rs.getString(2));
                if (rs.getInt(3) == ExecuteOrder.GRAY.code()) {
                    t.gray().add(rs.getString(2));
                }
            }
        }
        return targets;
    }

    private static Map<String, String> poolNames(Connection c, String projectId) throws SQLException {
        Map<String, String> names = new HashMap<>();
        try (PreparedStatement ps = Database.prepare(c, "SELECT id, name FROM desktop_pools WHERE project_id = ?",
                List.of(projectId)); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                names.put(rs.getString(1), rs.getString(2));
            }
        }
        return names;
    }

    private static List<TaskScript> taskScripts(List<TaskStep> steps) {
        if (steps == null) {
            return List.of();
        }
        Set<TaskScript> scripts = new LinkedHashSet<>();
        for (TaskStep step : steps) {
            if (step.scriptId() != null) {
                scripts.add(new TaskScript(step.scriptId(), step.scriptName()));
            }
        }
        return List.copyOf(scripts);
    }

    private static ScriptExecutionRecord record(ResultSet rs) throws SQLException {
        return new ScriptExecutionRecord(rs.getString("id"), rs.getString("script_id"), rs.getString("script_name"),
                rs.getString("task_id"), rs.getString("desktop_id"), rs.getString("desktop_name"), "DESKTOP",
                Times.iso(instant(rs, "start_time")), Times.iso(instant(rs, "end_time")),
                RecordStatus.valueOf(rs.getString("status")), rs.getInt("execute_order"),
                rs.getString("result_code"), rs.getString("reason"), rs.getBoolean("late_result") ? Boolean.TRUE : null);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return Database.fromDb(rs.getObject(column, OffsetDateTime.class));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return Database.fromDb(rs.getObject(column, OffsetDateTime.class));
    }

    private static long count(Connection c, String sql, List<Object> args) throws SQLException {
        try (PreparedStatement ps = Database.prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A WHERE clause built from optional filters, with its arguments in order. */
    private static final class Where {
        private final StringBuilder sql;
        private final List<Object> args = new ArrayList<>();

        Where(String first, Object arg) {
            sql = new StringBuilder(first);
            args.add(arg);
        }

        void and(String condition, Object arg) {
            sql.append(" AND ").append(condition);
            args.add(arg);
        }
    }

}
