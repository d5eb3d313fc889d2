package io.deskfleet.controlplane.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskfleet.api.common.Page;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.schedule.ApplyObjectBody;
import io.deskfleet.api.validation.Fields;
import io.deskfleet.controlplane.db.Database;
import io.deskfleet.scheduler.ScheduleSpec;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Scheduled tasks in the database: create, modify, read, list and delete. */
@Singleton
public class ScheduledTaskStore {
    /** What create and modify write; last_status is written only by fires, so a modify cannot undo one. */
    private static final String WRITTEN = "id, project_id, task_name, task_type, scheduled_type, day_interval,"
            + " week_list, month_list, date_list, scheduled_date, scheduled_time, expire_time, life_cycle_type,"
            + " time_zone, schedule_anchor, gray_count, gray_desktop_ids, gray_fail_threshold, is_gray, force_execute,"
            + " description, enabled, extra_params, apply_objects, priority, wait_time, next_fire_at";
    static final String COLUMNS = WRITTEN + ", last_status";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Widths of the JSON list columns in V20__scheduled_tasks.sql. */
    static final int GRAY_DESKTOP_IDS_WIDTH = 70_000;
    static final int APPLY_OBJECTS_WIDTH = 100_000;
    private static final TypeReference<List<ApplyObjectBody>> APPLY_OBJECTS = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> IDS = new TypeReference<>() {
    };

    private final Database db;

    public ScheduledTaskStore(Database db) {
        this.db = db;
    }

    /** List filters; null means any. */
    public record Filter(String taskName, String taskType, String scheduledType, String lifeCycleType,
                         String lastStatus) {
    }

    public record TaskPage(long totalCount, List<ScheduledTask> tasks) {
    }

    public void insert(ScheduledTask task, Instant now) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO scheduled_tasks (" + WRITTEN
                    + ", created_at, updated_at) VALUES (" + Database.placeholders(29) + ")")) {
                int i = bind(ps, task);
                ps.setObject(i++, Database.toDb(now));
                ps.setObject(i, Database.toDb(now));
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Writes every field of a modified task, including the next fire the rules recomputed. */
    public void update(ScheduledTask task, Instant now) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE scheduled_tasks SET "
                    + String.join(" = ?, ", (WRITTEN + ", updated_at").split(", ")) + " = ?"
                    + " WHERE id = ? AND project_id = ?")) {
                int i = bind(ps, task);
                ps.setObject(i++, Database.toDb(now));
                ps.setString(i++, task.id());
                ps.setString(i, task.projectId());
                if (ps.executeUpdate() != 1) {
                    throw notFound(task.id());
                }
            }
            return null;
        });
    }

    public ScheduledTask require(String projectId, String taskId) {
        return find(projectId, taskId).orElseThrow(() -> notFound(taskId));
    }

    public Optional<ScheduledTask> find(String projectId, String taskId) {
        return db.query(c -> one(c, "project_id = ? AND id = ?", projectId, taskId));
    }

    /** For the poller, which works across projects. */
    public Optional<ScheduledTask> find(String taskId) {
        return db.query(c -> one(c, "id = ?", taskId));
    }

    /** The enabled LIFE_CYCLE tasks of a project waiting for this event type. */
    public List<ScheduledTask> lifeCycleTasks(String projectId, String lifeCycleType) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM scheduled_tasks"
                    + " WHERE project_id = ? AND life_cycle_type = ? AND scheduled_type = 'LIFE_CYCLE'"
                    + " AND enabled = TRUE")) {
                ps.setString(1, projectId);
                ps.setString(2, lifeCycleType);
                return all(ps);
            }
        });
    }

    public TaskPage list(String projectId, Page page, Filter filter) {
        List<String> args = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE project_id = ?");
        args.add(projectId);
        condition(where, args, "task_name LIKE ? ESCAPE '\\'",
                filter.taskName() == null ? null : Database.containing(filter.taskName()));
        condition(where, args, "task_type = ?", filter.taskType());
        condition(where, args, "scheduled_type = ?", filter.scheduledType());
        condition(where, args, "life_cycle_type = ?", filter.lifeCycleType());
        condition(where, args, "last_status = ?", filter.lastStatus());
        return db.query(c -> {
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM scheduled_tasks" + where)) {
                bindAll(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM scheduled_tasks" + where
                    + " ORDER BY created_at DESC, id LIMIT ? OFFSET ?")) {
                int i = bindAll(ps, args);
                ps.setInt(i++, page.limit());
                ps.setInt(i, page.offset());
                return new TaskPage(total, all(ps));
            }
        });
    }

    /** Deletes all the tasks or, if any does not exist in the project, none (404 naming the missing ones). */
    public void delete(String projectId, List<String> taskIds) {
        db.inTransaction(c -> {
            String marks = Database.placeholders(taskIds.size());
            Set<String> existing = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM scheduled_tasks WHERE project_id = ?"
                    + " AND id IN (" + marks + ")")) {
                ps.setString(1, projectId);
                bindAll(ps, taskIds, 2);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        existing.add(rs.getString(1));
                    }
                }
            }
            List<String> missing = taskIds.stream().filter(id -> !existing.contains(id)).toList();
            if (!missing.isEmpty()) {
                throw ApiException.notFound("Scheduled tasks do not exist: " + Fields.sample(missing));
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM scheduled_tasks WHERE project_id = ?"
                    + " AND id IN (" + marks + ")")) {
                ps.setString(1, projectId);
                bindAll(ps, taskIds, 2);
                ps.executeUpdate();
            }
            return null;
        });
    }

    static ApiException notFound(String taskId) {
        return ApiException.notFound("Scheduled task " + taskId + " does not exist.");
    }

    private static void condition(StringBuilder where, List<String> args, String sql, String value) {
        if (value != null && !value.isEmpty()) {
            where.append(" AND ").append(sql);
            args.add(value);
        }
    }

    private static int bindAll(PreparedStatement ps, List<String> args) throws SQLException {
        return bindAll(ps, args, 1);
    }

    private static int bindAll(PreparedStatement ps, List<String> args, int first) throws SQLException {
        int i = first;
        for (String arg : args) {
            ps.setString(i++, arg);
        }
        return i;
    }

    private Optional<ScheduledTask> one(Connection c, String where, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM scheduled_tasks WHERE " + where)) {
            bindAll(ps, List.of(args));
            return all(ps).stream().findFirst();
        }
    }

    private static List<ScheduledTask> all(PreparedStatement ps) throws SQLException {
        List<ScheduledTask> tasks = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tasks.add(read(rs));
            }
        }
        return tasks;
    }

    /** Binds the {@link #WRITTEN} columns in order; returns the next parameter index. */
    private static int bind(PreparedStatement ps, ScheduledTask t) throws SQLException {
        ScheduleSpec s = t.spec();
        int i = 1;
        ps.setString(i++, t.id());
        ps.setString(i++, t.projectId());
        ps.setString(i++, t.taskName());
        ps.setString(i++, t.taskKind().name());
        ps.setString(i++, s.scheduledType());
        setInteger(ps, i++, s.dayInterval());
        ps.setString(i++, s.weekList());
        ps.setString(i++, s.monthList());
        ps.setString(i++, s.dateList());
        ps.setString(i++, s.scheduledDate());
        ps.setString(i++, s.scheduledTime());
        ps.setString(i++, s.expireTime());
        ps.setString(i++, s.lifeCycleType());
        ps.setString(i++, s.timeZone());
        ps.setObject(i++, Database.toDb(t.scheduleAnchor()));
        setInteger(ps, i++, t.grayCount());
        ps.setString(i++, toJson(t.grayDesktopIds()));
        setInteger(ps, i++, t.grayFailThreshold());
        ps.setBoolean(i++, t.isGray());
        ps.setBoolean(i++, t.forceExecute());
        ps.setString(i++, t.description());
        ps.setBoolean(i++, t.enabled());
        ps.setString(i++, t.extraParams());
        ps.setString(i++, toJson(t.applyObjects()));
        ps.setInt(i++, t.priority());
        ps.setInt(i++, t.waitTime());
        ps.setObject(i++, Database.toDb(t.nextFireAt()));
        return i;
    }

    private static ScheduledTask read(ResultSet rs) throws SQLException {
        ScheduleSpec spec = new ScheduleSpec(rs.getString("scheduled_type"), integer(rs, "day_interval"),
                rs.getString("week_list"), rs.getString("month_list"), rs.getString("date_list"),
                rs.getString("scheduled_date"), rs.getString("scheduled_time"), rs.getString("expire_time"),
                rs.getString("life_cycle_type"), rs.getString("time_zone"));
        return new ScheduledTask(rs.getString("id"), rs.getString("project_id"), rs.getString("task_name"),
                TaskKind.valueOf(rs.getString("task_type")), spec,
                Database.fromDb(rs.getObject("schedule_anchor", OffsetDateTime.class)), integer(rs, "gray_count"),
                fromJson(rs.getString("gray_desktop_ids"), IDS), integer(rs, "gray_fail_threshold"),
                rs.getBoolean("is_gray"), rs.getBoolean("force_execute"), rs.getString("description"),
                rs.getBoolean("enabled"), rs.getString("extra_params"),
                fromJson(rs.getString("apply_objects"), APPLY_OBJECTS), rs.getInt("priority"),
                rs.getInt("wait_time"), Database.fromDb(rs.getObject("next_fire_at", OffsetDateTime.class)),
                rs.getString("last_status"));
    }

    private static void setInteger(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    private static Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    /**
     * Refuses a list whose JSON text would not fit its column. The item rules alone do not bound it: JSON escapes a
     * control character as six characters, so 1000 legal 64-character ids can take 390,000.
     */
    static void requireStorable(String field, Object value, int width) {
        int length = toJson(value).length();
        if (length > width) {
            throw ApiException.invalid(field + ": too long to store (" + length + " characters as JSON, at most "
                    + width + ")");
        }
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T fromJson(String text, TypeReference<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable: " + text, e);
        }
    }
}
