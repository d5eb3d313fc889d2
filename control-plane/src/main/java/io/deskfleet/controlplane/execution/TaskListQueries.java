package io.deskfleet.controlplane.execution;

import io.deskfleet.api.common.Page;
import io.deskfleet.api.execution.TaskStatus;
import io.deskfleet.api.execution.TaskType;
import io.deskfleet.controlplane.db.Database;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.deskfleet.controlplane.execution.ExecutionQueries.instant;
import static io.deskfleet.controlplane.execution.ExecutionQueries.stepsOf;

/**
 * The task listings: GET script-execution-tasks, a pool's tasks, and tasks by id for live events. Each returns
 * stored rows; {@link ExecutionViews} turns them into the API's records. Hand-written JDBC: a page is one query for
 * the count, one for the rows and one per detail (steps, targets) for the whole page at once, never one per task.
 */
@Singleton
public class TaskListQueries {
    private static final String FROM = " FROM execution_tasks t";
    /** The rows' FROM: the task and its pool's name (a pool of another project is never a task's pool). */
    private static final String FROM_WITH_POOL = FROM + " LEFT JOIN desktop_pools p ON p.id = t.pool_id";

    private final Database db;

    public TaskListQueries(Database db) {
        this.db = db;
    }

    /** The listing's filters, each null when not given; poolId and createdBy are ours (issue 26). */
    public record TaskFilter(String taskId, TaskStatus status, TaskType taskType, String scriptId, String scriptName,
                             Instant executeTimeStart, Instant executeTimeEnd, String poolId, String createdBy) {
    }

    /** A task's own columns, with its pool's name. */
    public record TaskRow(String id, String projectId, String poolId, TaskType taskType, TaskStatus status,
                          TaskCounts counts, Instant startTime, Instant endTime, TaskOrigin origin,
                          String poolName) {
    }

    /**
     * A task as the generic listing shows it: its steps, and its target desktops by id (the gray ones among them)
     * with their names in the same order.
     */
    public record ListedTask(TaskRow task, List<TaskStep> steps, List<String> targets, List<String> targetNames,
                             List<String> grayTargets) {
    }

    /** A task as a pool's listing shows it: with its steps. */
    public record PoolTask(TaskRow task, List<TaskStep> steps) {
    }

    public Listed<ListedTask> tasks(String projectId, Page page, TaskFilter filter) {
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
        if (filter.poolId() != null) {
            where.and("t.pool_id = ?", filter.poolId());
        }
        if (filter.createdBy() != null) {
            where.and("t.created_by = ?", filter.createdBy());
        }
        return db.query(c -> new Listed<>(where.count(c, FROM), listed(c, taskRows(c, where, page))));
    }

    /** The tasks with these ids that exist, in no particular order. */
    public List<ListedTask> tasksByIds(Collection<String> taskIds) {
        if (taskIds.isEmpty()) {
            return List.of();
        }
        List<String> ids = List.copyOf(taskIds);
        Where where = new Where("t.id IN (" + Database.placeholders(ids.size()) + ")", ids.get(0));
        where.args.addAll(ids.subList(1, ids.size()));
        return db.query(c -> listed(c, taskRows(c, where, new Page(0, ids.size()))));
    }

    /** Tasks run on pools (all of the project's pools when {@code poolId} is null). */
    public Listed<PoolTask> poolTasks(String projectId, String poolId, TaskStatus status, Page page) {
        Where where = new Where("t.project_id = ? AND t.pool_id IS NOT NULL", projectId);
        if (poolId != null) {
            where.and("t.pool_id = ?", poolId);
        }
        if (status != null) {
            where.and("t.status = ?", status.name());
        }
        return db.query(c -> {
            long count = where.count(c, FROM);
            List<TaskRow> rows = taskRows(c, where, page);
            Map<String, List<TaskStep>> steps = stepsOf(c, rows.stream().map(TaskRow::id).toList());
            List<PoolTask> tasks = new ArrayList<>(rows.size());
            for (TaskRow row : rows) {
                tasks.add(new PoolTask(row, steps.getOrDefault(row.id(), List.of())));
            }
            return new Listed<>(count, tasks);
        });
    }

    private static List<ListedTask> listed(Connection c, List<TaskRow> rows) throws SQLException {
        List<String> ids = rows.stream().map(TaskRow::id).toList();
        Map<String, List<TaskStep>> steps = stepsOf(c, ids);
        Map<String, Targets> targets = targetsOf(c, ids);
        List<ListedTask> tasks = new ArrayList<>(rows.size());
        for (TaskRow row : rows) {
            Targets t = targets.getOrDefault(row.id(), new Targets(List.of(), List.of(), List.of()));
            tasks.add(new ListedTask(row, steps.getOrDefault(row.id(), List.of()), t.all(), t.names(), t.gray()));
        }
        return tasks;
    }

    private static List<TaskRow> taskRows(Connection c, Where where, Page page) throws SQLException {
        List<TaskRow> rows = new ArrayList<>();
        try (PreparedStatement ps = Database.prepare(c, """
                SELECT t.id, t.project_id, t.pool_id, t.task_type, t.status, t.success_num, t.failed_num, t.skip_num,
                       t.start_time, t.end_time, t.created_by, t.desktop_tag, t.retry_of, p.name"""
                        + FROM_WITH_POOL + " WHERE " + where.sql
                        + " ORDER BY t.created_at DESC, t.id LIMIT ? OFFSET ?",
                where.argsWithPage(page.limit(), page.offset())); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new TaskRow(rs.getString(1), rs.getString(2), rs.getString(3),
                        TaskType.valueOf(rs.getString(4)), TaskStatus.valueOf(rs.getString(5)),
                        new TaskCounts(rs.getInt(6), rs.getInt(7), rs.getInt(8)), instant(rs, 9), instant(rs, 10),
                        new TaskOrigin(rs.getString(11), rs.getString(12), rs.getString(13)), rs.getString(14)));
            }
        }
        return rows;
    }

    /** Each task's target desktops (all with their names, and the gray ones) by id, from its records' first steps. */
    private static Map<String, Targets> targetsOf(Connection c, List<String> taskIds) throws SQLException {
        Map<String, Targets> targets = new HashMap<>();
        if (taskIds.isEmpty()) {
            return targets;
        }
        try (PreparedStatement ps = Database.prepare(c, "SELECT task_id, desktop_id, execute_order, desktop_name FROM execution_records"
                + " WHERE step = 0 AND task_id IN (" + Database.placeholders(taskIds.size()) + ") ORDER BY task_id, desktop_id",
                new ArrayList<>(taskIds)); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Targets t = targets.computeIfAbsent(rs.getString(1), k -> new Targets(new ArrayList<>(),
                        new ArrayList<>(), new ArrayList<>()));
                t.all().add(rs.getString(2));
                t.names().add(rs.getString(4));
                if (rs.getInt(3) == ExecuteOrder.GRAY.code()) {
                    t.gray().add(rs.getString(2));
                }
            }
        }
        return targets;
    }

    private record Targets(List<String> all, List<String> names, List<String> gray) {
    }
}
