package io.deskfleet.controlplane.schedule;

import io.deskfleet.controlplane.db.Database;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The durable side of firing: due clock fires and pending triggers are claimed with a conditional write in the
 * same transaction that inserts the fire's record, so a fire is never run twice, even by two pollers.
 */
@Singleton
public class FireStore {
    private final Database db;

    public FireStore(Database db) {
        this.db = db;
    }

    /** A LIFE_CYCLE fire waiting for its time (event time + wait_time). */
    public record Trigger(String id, String taskId, String desktopId, int priority, Instant fireAt) {
    }

    /** A record to insert when a fire is claimed: SKIP, or RUNNING until the fire's outcome is written. */
    public record NewRecord(String id, ScheduledTask task, Instant scheduledFire, Instant startTime,
                            FireStatus status) {
    }

    /** At start-up: fires a crash interrupted between claim and outcome end FAIL (they are never rerun). */
    public int failInterrupted() {
        return db.query(c -> {
            // a record with an execution follows it, and the execution resumes after a restart
            try (PreparedStatement ps = c.prepareStatement("UPDATE scheduled_task_records SET status = ?"
                    + " WHERE status = ? AND execute_task_id IS NULL")) {
                ps.setString(1, FireStatus.FAIL.name());
                ps.setString(2, FireStatus.RUNNING.name());
                return ps.executeUpdate();
            }
        });
    }

    public List<String> dueTaskIds(Instant now, int limit) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM scheduled_tasks WHERE enabled = TRUE"
                    + " AND next_fire_at <= ? ORDER BY next_fire_at, priority, id LIMIT ?")) {
                ps.setObject(1, Database.toDb(now));
                ps.setInt(2, limit);
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                return ids;
            }
        });
    }

    /**
     * Moves the task's next fire from {@code dueFire} to {@code nextFire} and inserts the record, or does nothing
     * and answers false when someone else moved it first (or the task was disabled or modified meanwhile).
     */
    public boolean claimClockFire(String taskId, Instant dueFire, Instant nextFire, NewRecord record) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE scheduled_tasks SET next_fire_at = ?,"
                    + " last_status = COALESCE(?, last_status) WHERE id = ? AND enabled = TRUE AND next_fire_at = ?")) {
                ps.setObject(1, Database.toDb(nextFire));
                ps.setString(2, record.status() == FireStatus.SKIP ? FireStatus.SKIP.name() : null);
                ps.setString(3, taskId);
                ps.setObject(4, Database.toDb(dueFire));
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            insertRecord(c, record);
            return true;
        });
    }

    public void insertTriggers(List<Trigger> triggers) {
        if (triggers.isEmpty()) {
            return;
        }
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO scheduled_task_triggers (id, task_id,"
                    + " desktop_id, priority, fire_at) VALUES (?, ?, ?, ?, ?)")) {
                for (Trigger t : triggers) {
                    ps.setString(1, t.id());
                    ps.setString(2, t.taskId());
                    ps.setString(3, t.desktopId());
                    ps.setInt(4, t.priority());
                    ps.setObject(5, Database.toDb(t.fireAt()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Due triggers, earliest first and, at the same time, in priority order. */
    public List<Trigger> dueTriggers(Instant now, int limit) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, task_id, desktop_id, priority, fire_at"
                    + " FROM scheduled_task_triggers WHERE fire_at <= ? ORDER BY fire_at, priority, task_id LIMIT ?")) {
                ps.setObject(1, Database.toDb(now));
                ps.setInt(2, limit);
                List<Trigger> due = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        due.add(new Trigger(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                                Database.fromDb(rs.getObject(5, OffsetDateTime.class))));
                    }
                }
                return due;
            }
        });
    }

    /** Deletes the trigger and, if this call deleted it, inserts the record (null: drop it without a record). */
    public boolean claimTrigger(String triggerId, NewRecord record) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM scheduled_task_triggers WHERE id = ?")) {
                ps.setString(1, triggerId);
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            if (record != null) {
                insertRecord(c, record);
            }
            return true;
        });
    }

    /** Writes a fire's outcome into its record, its per-desktop rows, and the task's last_status. */
    public void finish(String recordId, String taskId, FireOutcome outcome) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE scheduled_task_records SET status = ?,"
                    + " success_num = ?, failed_num = ?, skip_num = ?, execute_task_id = ? WHERE id = ?")) {
                ps.setString(1, outcome.status().name());
                ps.setInt(2, outcome.successNum());
                ps.setInt(3, outcome.failedNum());
                ps.setInt(4, outcome.skipNum());
                ps.setString(5, outcome.executeTaskId());
                ps.setString(6, recordId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO scheduled_task_record_details (id,"
                    + " record_id, desktop_id, desktop_name, exec_status, result_code, fail_reason, start_time,"
                    + " end_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (FireOutcome.DesktopOutcome d : outcome.desktops()) {
                    ps.setString(1, UUID.randomUUID().toString());
                    ps.setString(2, recordId);
                    ps.setString(3, d.desktopId());
                    ps.setString(4, d.desktopName());
                    ps.setString(5, d.status().name());
                    ps.setString(6, d.resultCode());
                    ps.setString(7, d.failReason());
                    ps.setObject(8, Database.toDb(d.at()));
                    ps.setObject(9, Database.toDb(d.at()));
                    ps.addBatch();
                }
                if (!outcome.desktops().isEmpty()) {
                    ps.executeBatch();
                }
            }
            if (outcome.status() != FireStatus.RUNNING) {
                setLastStatus(c, taskId, outcome.status());
            }
            return null;
        });
    }

    /**
     * Fires whose execution has ended take its result: SUCCESS when every desktop succeeded, FAIL when any
     * failed or the rollout was halted or stopped; the task's last_status follows. Run on every poll, so a record
     * settles within a poll of its execution ending, also after a restart.
     */
    public int settleExecutionFires() {
        return db.inTransaction(c -> {
            List<String[]> ended = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT r.id, r.task_id, e.status"
                    + " FROM scheduled_task_records r JOIN execution_tasks e ON e.id = r.execute_task_id"
                    + " WHERE r.status = ? AND e.end_time IS NOT NULL ORDER BY r.start_time")) {
                ps.setString(1, FireStatus.RUNNING.name());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ended.add(new String[]{rs.getString(1), rs.getString(2), rs.getString(3)});
                    }
                }
            }
            for (String[] fire : ended) {
                FireStatus status = "SUCCESS".equals(fire[2]) ? FireStatus.SUCCESS : FireStatus.FAIL;
                try (PreparedStatement ps = c.prepareStatement("UPDATE scheduled_task_records SET status = ?"
                        + " WHERE id = ? AND status = ?")) {
                    ps.setString(1, status.name());
                    ps.setString(2, fire[0]);
                    ps.setString(3, FireStatus.RUNNING.name());
                    ps.executeUpdate();
                }
                setLastStatus(c, fire[1], status);
            }
            return ended.size();
        });
    }

    private static void setLastStatus(Connection c, String taskId, FireStatus status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE scheduled_tasks SET last_status = ? WHERE id = ?")) {
            ps.setString(1, status.name());
            ps.setString(2, taskId);
            ps.executeUpdate();
        }
    }

    private static void insertRecord(Connection c, NewRecord r) throws SQLException {
        ScheduledTask t = r.task();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO scheduled_task_records (id, task_id, project_id,"
                + " scheduled_fire, start_time, task_type, scheduled_type, life_cycle_type, status, success_num,"
                + " failed_num, skip_num, time_zone, expire_time, extra_params)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?, ?)")) {
            ps.setString(1, r.id());
            ps.setString(2, t.id());
            ps.setString(3, t.projectId());
            ps.setObject(4, Database.toDb(r.scheduledFire()));
            ps.setObject(5, Database.toDb(r.startTime()));
            ps.setString(6, t.type().name());
            ps.setString(7, t.spec().scheduledType());
            ps.setString(8, t.spec().lifeCycleType());
            ps.setString(9, r.status().name());
            ps.setString(10, t.spec().timeZone());
            ps.setString(11, t.spec().expireTime());
            ps.setString(12, t.extraParams());
            ps.executeUpdate();
        }
    }
}
