package io.deskfleet.controlplane.schedule;

import io.deskfleet.api.common.Page;
import io.deskfleet.controlplane.db.Database;
import io.deskfleet.controlplane.execution.ExecutionQueries;
import io.deskfleet.controlplane.refusal.Refusal;
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
 * The records of a task's fires and their per-desktop details. The counts and details of a fire that started an
 * execution (EXECUTE_SCRIPT's) are read live from that execution task, so they follow the rollout as it progresses.
 */
@Singleton
public class RecordQueries {
    private final Database db;

    public RecordQueries(Database db) {
        this.db = db;
    }

    public FireRecord.Page<FireRecord> records(String taskId, Page page) {
        return db.query(c -> {
            long total = Database.count(c, "SELECT COUNT(*) FROM scheduled_task_records WHERE task_id = ?", List.of(taskId));
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
                List<FireRecord> records = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        records.add(new FireRecord(rs.getString(1), instant(rs, 2), rs.getString(3),
                                rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7), rs.getInt(8),
                                rs.getInt(9), rs.getString(10), rs.getString(11), rs.getString(12),
                                rs.getString(13)));
                    }
                }
                return new FireRecord.Page<>(total, records);
            }
        });
    }

    /** Per desktop: the fire's own rows, or the records of the execution it started. */
    public FireRecord.Page<FireRecord.Detail> details(String taskId, String recordId, Page page) {
        return db.query(c -> {
            String executeTaskId;
            String zone;
            try (PreparedStatement ps = c.prepareStatement("SELECT execute_task_id, time_zone"
                    + " FROM scheduled_task_records WHERE id = ? AND task_id = ?")) {
                ps.setString(1, recordId);
                ps.setString(2, taskId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw Refusal.notFound("Record " + recordId + " of scheduled task " + taskId
                                + " does not exist.").asException();
                    }
                    executeTaskId = rs.getString(1);
                    zone = rs.getString(2);
                }
            }
            return executeTaskId == null ? desktopDetails(c, recordId, zone, page)
                    : executionDetails(c, recordId, executeTaskId, zone, page);
        });
    }

    private FireRecord.Page<FireRecord.Detail> desktopDetails(Connection c, String recordId, String zone, Page page)
            throws SQLException {
        long total = Database.count(c, "SELECT COUNT(*) FROM scheduled_task_record_details WHERE record_id = ?", List.of(recordId));
        try (PreparedStatement ps = c.prepareStatement("SELECT id, desktop_id, desktop_name, exec_status,"
                + " result_code, fail_reason, start_time, end_time FROM scheduled_task_record_details"
                + " WHERE record_id = ? ORDER BY desktop_id LIMIT ? OFFSET ?")) {
            ps.setString(1, recordId);
            ps.setInt(2, page.limit());
            ps.setInt(3, page.offset());
            List<FireRecord.Detail> details = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    details.add(new FireRecord.Detail(rs.getString(1), recordId, rs.getString(2), rs.getString(3),
                            rs.getString(4), null, rs.getString(5), rs.getString(6), instant(rs, 7),
                            instant(rs, 8), zone));
                }
            }
            return new FireRecord.Page<>(total, details);
        }
    }

    private FireRecord.Page<FireRecord.Detail> executionDetails(Connection c, String recordId,
                                                                String executeTaskId, String zone, Page page)
            throws SQLException {
        long total = Database.count(c, "SELECT COUNT(*) FROM execution_records WHERE task_id = ?", List.of(executeTaskId));
        try (PreparedStatement ps = c.prepareStatement("SELECT r.id, r.desktop_id, r.desktop_name, "
                + ExecutionQueries.RECORD_STATUS + ", s.script_id, x.result_code, x.reason, x.start_time, x.end_time"
                + " FROM execution_records r" + ExecutionQueries.WITH_OUTCOME
                + " JOIN execution_task_steps s ON s.task_id = r.task_id AND s.step = r.step"
                + " WHERE r.task_id = ? ORDER BY r.desktop_id, r.step LIMIT ? OFFSET ?")) {
            ps.setString(1, executeTaskId);
            ps.setInt(2, page.limit());
            ps.setInt(3, page.offset());
            List<FireRecord.Detail> details = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    details.add(new FireRecord.Detail(rs.getString(1), recordId, rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                            instant(rs, 8), instant(rs, 9), zone));
                }
            }
            return new FireRecord.Page<>(total, details);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return Database.fromDb(rs.getObject(column, OffsetDateTime.class));
    }
}
