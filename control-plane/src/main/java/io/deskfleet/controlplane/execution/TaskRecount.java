package io.deskfleet.controlplane.execution;

import io.deskfleet.api.execution.TaskStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A finished task's counts and status computed again from its stored records, when a late result changed one of
 * them. Hand-written JDBC inside {@link ExecutionStore#apply}'s transaction: one aggregate over the task's records
 * rather than loading them.
 */
final class TaskRecount {

    private TaskRecount() {
    }

    /**
     * Recounts a finished task from its records after a late result, by {@link TaskProgress}'s rules (see
     * {@link ExecutionQueries#DESKTOP_OUTCOMES}); the task stays CANCELLED if it was stopped, is FAILED if a desktop
     * failed or the gray batch halted it, CANCELLED if nothing succeeded, SUCCESS otherwise.
     *
     * @return false when the task has not finished: the engine that runs it keeps its counts
     */
    static boolean recount(Connection c, String taskId) throws SQLException {
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
}
