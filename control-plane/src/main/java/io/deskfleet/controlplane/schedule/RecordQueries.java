package io.deskfleet.controlplane.schedule;

import io.deskfleet.api.common.Page;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.schedule.TaskRecord;
import io.deskfleet.api.schedule.TaskRecordDetail;
import io.deskfleet.api.schedule.TaskRecordDetailList;
import io.deskfleet.api.schedule.TaskRecordList;
import io.deskfleet.controlplane.db.Database;
import io.deskfleet.controlplane.execution.ExecutionQueries;
import io.deskfleet.scheduler.ScheduleTimes;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of a task's fires and their per-desktop details. A script fire's counts and details are read live
 * from the execution task it started, so they follow the rollout as it progresses.
 */
@Singleton
public class RecordQueries {
    private final Database db;

    public RecordQueries(Database db) {
        this.db = db;
    }

    public TaskRecordList records(String taskId, Page page) {
        return db.query(c -> {
            long total = count(c, "SELECT COUNT(*) FROM scheduled_task_records WHERE task_id = ?", taskId);
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT r.id, r.start_time, r.task_type, r.scheduled_type, r.life_cycle_type, r.status,
                        COALESCE(e.success_num, r.success_num), COALESCE(e.failed_num, r.failed_num),
                        COALESCE(e.skip_num, r.skip_num), r.time_zone, r.execute_task_id, r.expire_time,
                        r.extra_params
                    FROM scheduled_task_records r LEFT JOIN execution_tasks e ON e.id = r.execute_task_id
                    WHERE r.task_id = ? ORDER BY r.start_time DESC, r.id LIMIT ? OFFSET ?""")) {
                ps.setString(1, taskId);
                ps.setInt(2, page.limit());
                ps.setInt(3, page.offset());
                List<TaskRecord> records = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String zone = rs.getString(10);
                        records.add(new TaskRecord(rs.getString(1), format(rs, 2, zone), rs.getString(3),
                                rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7), rs.getInt(8),
                                rs.getInt(9), zone, rs.getString(11), "DESKTOP", rs.getString(12),
                                rs.getString(13)));
                    }
                }
                return new TaskRecordList(total, records);
            }
        });
    }

    /** Per desktop: the power fire's rows, or the records of the execution a script fire started. */
    public TaskRecordDetailList details(String taskId, String recordId, Page page) {
        return db.query(c -> {
            String executeTaskId;
            String zone;
            try (PreparedStatement ps = c.prepareStatement("SELECT execute_task_id, time_zone"
                    + " FROM scheduled_task_records WHERE id = ? AND task_id = ?")) {
                ps.setString(1, recordId);
                ps.setString(2, taskId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw ApiException.notFound("Record " + recordId + " of scheduled task " + taskId
                                + " does not exist.");
                    }
                    executeTaskId = rs.getString(1);
                    zone = rs.getString(2);
                }
            }
            return executeTaskId == null ? powerDetails(c, recordId, zone, page)
                    : executionDetails(c, recordId, executeTaskId, zone, page);
        });
    }

    private TaskRecordDetailList powerDetails(Connection c, String recordId, String zone, Page page)
            throws SQLException {
        long total = count(c, "SELECT COUNT(*) FROM scheduled_task_record_details WHERE record_id = ?", recordId);
        try (PreparedStatement ps = c.prepareStatement("SELECT id, desktop_id, desktop_name, exec_status,"
                + " result_code, fail_reason, start_time, end_time FROM scheduled_task_record_details"
                + " WHERE record_id = ? ORDER BY desktop_id LIMIT ? OFFSET ?")) {
            ps.setString(1, recordId);
            ps.setInt(2, page.limit());
            ps.setInt(3, page.offset());
            List<TaskRecordDetail> details = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    details.add(new TaskRecordDetail(rs.getString(1), recordId, rs.getString(2), rs.getString(3),
                            rs.getString(4), null, rs.getString(5), rs.getString(6), format(rs, 7, zone),
                            format(rs, 8, zone), zone));
                }
            }
            return new TaskRecordDetailList(total, details);
        }
    }

    private TaskRecordDetailList executionDetails(Connection c, String recordId, String executeTaskId, String zone,
                                                  Page page) throws SQLException {
        long total = count(c, "SELECT COUNT(*) FROM execution_records WHERE task_id = ?", executeTaskId);
        try (PreparedStatement ps = c.prepareStatement("SELECT r.id, r.desktop_id, r.desktop_name, "
                + ExecutionQueries.RECORD_STATUS + ", s.script_id, x.result_code, x.reason, x.start_time, x.end_time"
                + " FROM execution_records r" + ExecutionQueries.WITH_OUTCOME
                + " JOIN execution_task_steps s ON s.task_id = r.task_id AND s.step = r.step"
                + " WHERE r.task_id = ? ORDER BY r.desktop_id, r.step LIMIT ? OFFSET ?")) {
            ps.setString(1, executeTaskId);
            ps.setInt(2, page.limit());
            ps.setInt(3, page.offset());
            List<TaskRecordDetail> details = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    details.add(new TaskRecordDetail(rs.getString(1), recordId, rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                            format(rs, 8, zone), format(rs, 9, zone), zone));
                }
            }
            return new TaskRecordDetailList(total, details);
        }
    }

    private static long count(Connection c, String sql, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Scheduled-task times are contract strings in the task's zone (UTC when it has none). */
    private static String format(ResultSet rs, int column, String zone) throws SQLException {
        Instant instant = Database.fromDb(rs.getObject(column, OffsetDateTime.class));
        return instant == null ? null : ScheduleTimes.format(instant, ScheduleTimes.zone(zone));
    }
}
