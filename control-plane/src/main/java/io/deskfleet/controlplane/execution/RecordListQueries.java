package io.deskfleet.controlplane.execution;

import io.deskfleet.api.common.Page;
import io.deskfleet.api.execution.RecordStatus;
import io.deskfleet.api.execution.TaskType;
import io.deskfleet.controlplane.db.Database;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import static io.deskfleet.controlplane.execution.ExecutionQueries.RECORD_STATUS;
import static io.deskfleet.controlplane.execution.ExecutionQueries.WITH_OUTCOME;
import static io.deskfleet.controlplane.execution.ExecutionQueries.instant;

/**
 * The record listings: GET script-execution-records, one record with its output, and a task's records for live
 * events. Each returns stored rows; {@link ExecutionViews} turns them into the API's records. Hand-written JDBC:
 * one desktop's records need the desktop in a join condition to use the task index (see {@link #records}), which a
 * derived query cannot say.
 */
@Singleton
public class RecordListQueries {
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

    public RecordListQueries(Database db) {
        this.db = db;
    }

    public record RecordFilter(String taskId, String resourceId, String scriptId, RecordStatus status,
                               TaskType taskType) {
    }

    /** One record of one desktop and step, with its outcome so far. */
    public record RecordRow(String id, String scriptId, String scriptName, String taskId, String desktopId,
                            String desktopName, Instant startTime, Instant endTime, RecordStatus status,
                            int executeOrder, String resultCode, String reason, boolean lateResult) {
    }

    /** A record with what its command printed and how it exited ({@code exitCode} null until it has). */
    public record RecordDetail(RecordRow record, String output, boolean outputTruncated, Integer exitCode) {
    }

    /** Every record of a task, in the order GET script-execution-records lists them. */
    public List<RecordRow> recordsOfTask(String taskId) {
        return recordsWhere("r.task_id = ?", List.of(taskId));
    }

    /** The records with these ids that exist. */
    public List<RecordRow> recordsByIds(Collection<String> recordIds) {
        return recordIds.isEmpty() ? List.of()
                : recordsWhere("r.id IN (" + Database.placeholders(recordIds.size()) + ")", List.copyOf(recordIds));
    }

    /** Every record of these desktops in the task. */
    public List<RecordRow> recordsOfDesktops(String taskId, Collection<String> desktopIds) {
        if (desktopIds.isEmpty()) {
            return List.of();
        }
        List<Object> args = new ArrayList<>();
        args.add(taskId);
        args.addAll(desktopIds);
        return recordsWhere("r.task_id = ? AND r.desktop_id IN (" + Database.placeholders(desktopIds.size()) + ")",
                args);
    }

    private List<RecordRow> recordsWhere(String condition, List<?> args) {
        return db.query(c -> {
            List<RecordRow> records = new ArrayList<>();
            try (PreparedStatement ps = Database.prepare(c, "SELECT " + RECORD_COLUMNS + RECORD_FROM + " WHERE "
                    + condition + " ORDER BY r.task_id, r.batch_index, r.desktop_id, r.step", args);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    records.add(row(rs));
                }
            }
            return records;
        });
    }

    public Listed<RecordRow> records(String projectId, Page page, RecordFilter filter) {
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
            long count = where.count(c, from);
            List<RecordRow> records = new ArrayList<>();
            try (PreparedStatement ps = Database.prepare(c, "SELECT " + RECORD_COLUMNS + from + " WHERE " + where.sql
                    + " ORDER BY t.created_at DESC, r.task_id, r.batch_index, r.desktop_id, r.step"
                    + " LIMIT ? OFFSET ?", where.argsWithPage(page.limit(), page.offset()));
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    records.add(row(rs));
                }
            }
            return new Listed<>(count, records);
        });
    }

    public Optional<RecordDetail> record(String projectId, String recordId) {
        return db.query(c -> {
            try (PreparedStatement ps = Database.prepare(c, "SELECT " + RECORD_COLUMNS
                    + ", x.output, x.output_truncated, x.exit_code" + RECORD_FROM
                    + " WHERE r.project_id = ? AND r.id = ?", List.of(projectId, recordId));
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                RecordRow row = row(rs);
                int exitCode = rs.getInt("exit_code");
                Integer exit = rs.wasNull() ? null : exitCode;
                return Optional.of(new RecordDetail(row, rs.getString("output"), rs.getBoolean("output_truncated"),
                        exit));
            }
        });
    }

    private static RecordRow row(ResultSet rs) throws SQLException {
        return new RecordRow(rs.getString("id"), rs.getString("script_id"), rs.getString("script_name"),
                rs.getString("task_id"), rs.getString("desktop_id"), rs.getString("desktop_name"),
                instant(rs, "start_time"), instant(rs, "end_time"), RecordStatus.valueOf(rs.getString("status")),
                rs.getInt("execute_order"), rs.getString("result_code"), rs.getString("reason"),
                rs.getBoolean("late_result"));
    }
}
