package io.deskfleet.controlplane.approval;

import io.deskfleet.api.common.Page;
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
import java.util.Optional;

/**
 * Approvals, and the two writes a decision makes to a held execution task: its WAITING status while held, and its
 * end (CANCELLED, every record CANCELLED) when refused or expired, in the same transaction as the decision. These
 * two touch the execution tables directly because the rollout engine never ran the task.
 */
@Singleton
public class ApprovalStore {
    private static final String COLUMNS = "task_id, project_id, status, requested_by, requester_user_id,"
            + " scheduled_task_id, protected_desktops, requested_at, expires_at, decided_by, decided_at, reason";

    private final Database db;

    public ApprovalStore(Database db) {
        this.db = db;
    }

    public record Listed(long totalCount, List<Approval> approvals) {
    }

    public void insert(Approval a) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO task_approvals (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, a.taskId());
                ps.setString(2, a.projectId());
                ps.setString(3, a.status().name());
                ps.setString(4, a.requestedBy());
                ps.setString(5, a.requesterUserId());
                ps.setString(6, a.scheduledTaskId());
                ps.setInt(7, a.protectedDesktops());
                ps.setObject(8, Database.toDb(a.requestedAt()));
                ps.setObject(9, Database.toDb(a.expiresAt()));
                ps.setString(10, a.decidedBy());
                ps.setObject(11, Database.toDb(a.decidedAt()));
                ps.setString(12, a.reason());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** A held task is created RUNNING by the execution store; while it waits its contract status is WAITING. */
    public void markWaiting(String taskId) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE execution_tasks SET status = 'WAITING'"
                    + " WHERE id = ? AND end_time IS NULL AND EXISTS (SELECT 1 FROM task_approvals a"
                    + " WHERE a.task_id = execution_tasks.id AND a.status = 'PENDING_APPROVAL')")) {
                ps.setString(1, taskId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    public Optional<Approval> find(String projectId, String taskId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM task_approvals WHERE project_id = ? AND task_id = ?")) {
                ps.setString(1, projectId);
                ps.setString(2, taskId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.empty();
                }
            }
        });
    }

    /** The project's approvals, newest first, optionally of one status. */
    public Listed list(String projectId, ApprovalStatus status, Page page) {
        String where = " WHERE project_id = ?" + (status == null ? "" : " AND status = ?");
        List<Object> args = new ArrayList<>(List.of(projectId));
        if (status != null) {
            args.add(status.name());
        }
        return db.query(c -> {
            long total = Database.count(c, "SELECT COUNT(*) FROM task_approvals" + where, args);
            List<Object> pageArgs = new ArrayList<>(args);
            pageArgs.add(page.limit());
            pageArgs.add(page.offset());
            List<Approval> found = new ArrayList<>();
            try (PreparedStatement ps = Database.prepare(c, "SELECT " + COLUMNS + " FROM task_approvals" + where
                    + " ORDER BY requested_at DESC, task_id LIMIT ? OFFSET ?", pageArgs);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(row(rs));
                }
            }
            return new Listed(total, found);
        });
    }

    /** Approvals still pending whose time ran out. */
    public List<Approval> dueToExpire(Instant now, int max) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM task_approvals"
                    + " WHERE status = 'PENDING_APPROVAL' AND expires_at <= ? ORDER BY expires_at LIMIT ?")) {
                ps.setObject(1, Database.toDb(now));
                ps.setInt(2, max);
                List<Approval> found = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(row(rs));
                    }
                }
                return found;
            }
        });
    }

    /**
     * Moves a pending approval to APPROVED, or to REJECTED or EXPIRED together with ending its task: one
     * transaction, so a task is never left both refused and runnable.
     *
     * @return false when it was no longer pending (another decision came first)
     */
    public boolean decide(String taskId, ApprovalStatus to, String decidedBy, String reason, Instant now) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE task_approvals SET status = ?, decided_by = ?,"
                    + " decided_at = ?, reason = ? WHERE task_id = ? AND status = 'PENDING_APPROVAL'")) {
                ps.setString(1, to.name());
                ps.setString(2, decidedBy);
                ps.setObject(3, Database.toDb(now));
                ps.setString(4, reason);
                ps.setString(5, taskId);
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            if (to != ApprovalStatus.APPROVED) {
                cancelTask(c, taskId, (to == ApprovalStatus.REJECTED ? "approval rejected: " + reason
                        : "approval expired"), now);
            }
            return true;
        });
    }

    /** Every record CANCELLED (skip_num counts them), the task CANCELLED and ended: nothing of it ever runs. */
    private static void cancelTask(Connection c, String taskId, String reason, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO execution_results (record_key, status, reason, end_time)
                SELECT r.record_key, 'CANCELLED', ?, ? FROM execution_records r
                WHERE r.task_id = ?
                    AND NOT EXISTS (SELECT 1 FROM execution_results x WHERE x.record_key = r.record_key)""")) {
            ps.setString(1, reason.length() > Approval.MAX_REASON ? reason.substring(0, Approval.MAX_REASON)
                    : reason);
            ps.setObject(2, Database.toDb(now));
            ps.setString(3, taskId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE execution_tasks SET status = 'CANCELLED',"
                + " success_num = 0, failed_num = 0, skip_num = target_count, end_time = ?"
                + " WHERE id = ? AND end_time IS NULL")) {
            ps.setObject(1, Database.toDb(now));
            ps.setString(2, taskId);
            ps.executeUpdate();
        }
    }

    private static Approval row(ResultSet rs) throws SQLException {
        return new Approval(rs.getString(1), rs.getString(2), ApprovalStatus.valueOf(rs.getString(3)),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7), time(rs, 8), time(rs, 9),
                rs.getString(10), time(rs, 11), rs.getString(12));
    }

    private static Instant time(ResultSet rs, int column) throws SQLException {
        return Database.fromDb(rs.getObject(column, OffsetDateTime.class));
    }
}
