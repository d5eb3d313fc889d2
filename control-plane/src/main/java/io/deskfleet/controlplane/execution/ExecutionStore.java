package io.deskfleet.controlplane.execution;

import io.deskfleet.api.execution.RecordStatus;
import io.deskfleet.controlplane.db.Database;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes what happens to a running task's records: outcomes, closures, the task's state and late results. A new
 * task is stored by {@link TaskCreation}; reads are in {@link ExecutionQueries} and the list queries. Hand-written
 * JDBC because {@link RecordWriter} group-commits many changes at once: each kind of change is one JDBC batch in one
 * transaction, and the ON CONFLICT and status guards make a replayed change a no-op, which a repository's
 * save-per-entity cannot express.
 */
@Singleton
public class ExecutionStore {
    private final Database db;
    private final TaskOwnership ownership;

    public ExecutionStore(Database db, TaskOwnership ownership) {
        this.db = db;
        this.ownership = ownership;
    }

    /**
     * What one {@link #apply} did: how many records each terminal status settled (a change that found its record
     * already terminal, a duplicate or a closure replayed after a restart, settles none), the records whose
     * provisional outcome a late result replaced, the finished tasks recounted because of that, and the tasks whose
     * changes were not written because this control plane no longer holds them (see {@link TaskOwnership}).
     */
    record Applied(Map<RecordStatus, Integer> settled, Set<String> lateRecords, Set<String> recountedTasks,
                   Set<String> fencedTasks) {
    }

    /** Applies a batch of changes in one transaction, each kind as one JDBC batch, late results last. */
    Applied apply(List<RecordChange> batch) {
        Map<RecordStatus, Integer> settled = new EnumMap<>(RecordStatus.class);
        Set<String> late = new LinkedHashSet<>();
        Set<String> recounted = new LinkedHashSet<>();
        Set<String> fenced = new LinkedHashSet<>();
        if (batch.isEmpty()) {
            return new Applied(settled, late, recounted, fenced);
        }
        List<RecordStatus> finishedFromRunning = new ArrayList<>();
        List<RecordStatus> finishedStatuses = new ArrayList<>();
        List<RecordStatus> closedStatuses = new ArrayList<>();
        db.inTransaction(c -> {
            Set<String> taskIds = new LinkedHashSet<>();
            for (RecordChange change : batch) {
                if (change.taskId() != null) {
                    taskIds.add(change.taskId());
                }
            }
            fenced.addAll(ownership.fence(c, taskIds));
            List<RecordChange> changes = fenced.isEmpty() ? batch
                    : batch.stream().filter(change -> !fenced.contains(change.taskId())).toList();
            // Outcomes are inserted, and a record's is updated only from RUNNING to its end: the ON CONFLICT and
            // status guards make a late or repeated change a no-op (see V40__insert_only_results.sql for why).
            try (PreparedStatement started = c.prepareStatement("""
                    INSERT INTO execution_results (record_key, status, start_time) VALUES (?, 'RUNNING', ?)
                    ON CONFLICT DO NOTHING""");
                 PreparedStatement finishRunning = c.prepareStatement("""
                    UPDATE execution_results SET status = ?, result_code = ?, reason = ?, exit_code = ?, output = ?,
                        output_truncated = ?, start_time = COALESCE(start_time, ?), end_time = ?, provisional = ?
                    WHERE record_key = ? AND status = 'RUNNING'""");
                 PreparedStatement finishWaiting = c.prepareStatement("""
                    INSERT INTO execution_results (status, result_code, reason, exit_code, output, output_truncated,
                        start_time, end_time, provisional, record_key)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""");
                 PreparedStatement closed = c.prepareStatement("""
                    INSERT INTO execution_results (record_key, status, reason, end_time)
                    SELECT r.record_key, ?, ?, ? FROM execution_records r
                    WHERE r.task_id = ? AND r.desktop_id = ?
                        AND NOT EXISTS (SELECT 1 FROM execution_results x WHERE x.record_key = r.record_key)""");
                 PreparedStatement task = c.prepareStatement("""
                    UPDATE execution_tasks SET status = ?, success_num = ?, failed_num = ?, skip_num = ?,
                        end_time = COALESCE(end_time, ?)
                    WHERE id = ?""")) {
                List<RecordChange.Reported> reported = new ArrayList<>();
                for (RecordChange change : changes) {
                    if (change instanceof RecordChange.Reported r) {
                        reported.add(r);
                    } else if (change instanceof RecordChange.Started s) {
                        started.setLong(1, s.recordKey());
                        started.setObject(2, Database.toDb(s.startTime()));
                        started.addBatch();
                    } else if (change instanceof RecordChange.Finished f) {
                        if (f.reportedRunning()) {
                            bindFinished(finishRunning, f);
                            finishRunning.addBatch();
                            finishedFromRunning.add(f.outcome().status());
                        }
                        bindFinished(finishWaiting, f);
                        finishWaiting.addBatch();
                        finishedStatuses.add(f.outcome().status());
                    } else if (change instanceof RecordChange.Closed cl) {
                        for (String desktopId : cl.desktopIds()) {
                            closed.setString(1, cl.status().name());
                            closed.setString(2, cl.reason());
                            closed.setObject(3, Database.toDb(cl.endTime()));
                            closed.setString(4, cl.taskId());
                            closed.setString(5, desktopId);
                            closed.addBatch();
                            closedStatuses.add(cl.status());
                        }
                    } else if (change instanceof RecordChange.TaskState t) {
                        task.setString(1, t.status().name());
                        task.setInt(2, t.counts().successNum());
                        task.setInt(3, t.counts().failedNum());
                        task.setInt(4, t.counts().skipNum());
                        task.setObject(5, Database.toDb(t.endTime()));
                        task.setString(6, t.taskId());
                        task.addBatch();
                        if (t.endTime() != null) {
                            ownership.finished(c, t.taskId());
                        }
                    }
                }
                // started before finished: a record that started and ended within one batch passes through RUNNING.
                started.executeBatch();
                // a finish settles its record once: from RUNNING by the update, or from WAITING by the insert
                count(finishedFromRunning, finishRunning.executeBatch(), settled);
                count(finishedStatuses, finishWaiting.executeBatch(), settled);
                count(closedStatuses, closed.executeBatch(), settled);
                task.executeBatch();
                // After every other change: the provisional outcome a late result replaces, and the final state of
                // the task it recounts, may be in this same batch.
                for (RecordChange.Reported r : reported) {
                    Optional<String> taskId = replaceProvisional(c, r);
                    if (taskId.isPresent()) {
                        late.add(r.recordId());
                        if (r.recount() && TaskRecount.recount(c, taskId.get())) {
                            recounted.add(taskId.get());
                        }
                    }
                }
            }
            return null;
        });
        return new Applied(settled, late, recounted, fenced);
    }

    /**
     * Stores a late result in place of its record's provisional outcome, marked late.
     *
     * @return the record's task when the outcome was replaced; empty when it was not provisional (the agent had
     *         reported it already) or the id is not one of this desktop's records
     */
    private static Optional<String> replaceProvisional(Connection c, RecordChange.Reported r) throws SQLException {
        long key;
        String taskId;
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT r.record_key, r.task_id FROM execution_records r
                    JOIN execution_results x ON x.record_key = r.record_key
                WHERE r.id = ? AND r.desktop_id = ? AND x.provisional = TRUE""")) {
            ps.setString(1, r.recordId());
            ps.setString(2, r.desktopId());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                key = rs.getLong(1);
                taskId = rs.getString(2);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE execution_results SET status = ?, result_code = ?, reason = ?, exit_code = ?, output = ?,
                    output_truncated = ?, start_time = COALESCE(?, start_time), end_time = ?, provisional = FALSE,
                    late_result = TRUE
                WHERE record_key = ? AND provisional = TRUE""")) {
            bindOutcome(ps, r.outcome(), r.output(), r.outputTruncated(), r.startTime(), r.endTime());
            ps.setLong(9, key);
            return ps.executeUpdate() == 1 ? Optional.of(taskId) : Optional.empty();
        }
    }

    /** Binds a finish to the columns both finish statements share, in the same order. */
    private static void bindFinished(PreparedStatement ps, RecordChange.Finished f) throws SQLException {
        bindOutcome(ps, f.outcome(), f.output(), f.outputTruncated(), f.startTime(), f.endTime());
        ps.setBoolean(9, f.provisional());
        ps.setLong(10, f.recordKey());
    }

    /** Binds parameters 1 to 8: status, result_code, reason, exit_code, output, output_truncated, start, end. */
    private static void bindOutcome(PreparedStatement ps, StepOutcome o, String output, boolean truncated,
                                    Instant start, Instant end) throws SQLException {
        ps.setString(1, o.status().name());
        ps.setString(2, o.resultCode());
        ps.setString(3, o.reason());
        if (o.exitCode() == null) {
            ps.setNull(4, Types.INTEGER);
        } else {
            ps.setInt(4, o.exitCode());
        }
        ps.setString(5, output);
        ps.setBoolean(6, truncated);
        ps.setObject(7, Database.toDb(start));
        ps.setObject(8, Database.toDb(end));
    }

    private static void count(List<RecordStatus> statuses, int[] rowsUpdated, Map<RecordStatus, Integer> settled) {
        for (int i = 0; i < rowsUpdated.length; i++) {
            if (rowsUpdated[i] > 0) {
                settled.merge(statuses.get(i), rowsUpdated[i], Integer::sum);
            }
        }
    }
}
