package io.deskfleet.controlplane.execution;

import io.deskfleet.api.execution.TaskStatus;
import io.deskfleet.controlplane.db.Database;
import io.deskfleet.controlplane.inventory.TargetDesktop;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Stores a new task: its row, its steps and one record per desktop and step, in one transaction. Hand-written JDBC
 * because a task of 10,000 desktops inserts its records {@value #ROWS_PER_STATEMENT} rows to a statement, with
 * numbers handed out here; a repository would insert them one statement at a time and fetch each generated key.
 */
@Singleton
public class TaskCreation {
    private static final int ROWS_PER_STATEMENT = 500;

    private final Database db;
    private final TaskOwnership ownership;

    public TaskCreation(Database db, TaskOwnership ownership) {
        this.db = db;
        this.ownership = ownership;
    }

    /**
     * Stores a new task with its steps and one record per desktop and step, in one transaction. A record has no
     * outcome yet: it is WAITING until {@link ExecutionStore#apply} stores one.
     *
     * @param runs false for a task held for approval: nobody runs it yet, so it has no owner
     * @return the numbers the task's records were stored with
     */
    public RecordKeys create(TaskDefinition task, RolloutPlan plan, Map<String, TargetDesktop> targets,
                             TaskOrigin origin, Instant now, boolean runs) {
        RecordKeys keys = RecordKeys.assign(reserveRecordKeys((long) plan.targetCount() * task.steps().size()), plan,
                task.steps().size());
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO execution_tasks (id, project_id, pool_id, task_type, status, gray_fail_threshold,
                        execution_timeout, pre_start, post_finish, target_count, success_num, failed_num, skip_num,
                        retry_of, created_at, start_time, record_id_scheme, created_by, desktop_tag)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?, ?, ?, ?, ?)""")) {
                ps.setString(1, task.id());
                ps.setString(2, task.projectId());
                ps.setString(3, task.poolId());
                ps.setString(4, task.taskType().name());
                ps.setString(5, TaskStatus.RUNNING.name());
                ps.setInt(6, plan.hasGrayBatch() ? plan.grayFailThreshold() : 0);
                ps.setInt(7, task.executionTimeoutMinutes());
                ps.setString(8, task.preStart().name());
                ps.setString(9, task.postFinish().name());
                ps.setInt(10, plan.targetCount());
                ps.setString(11, origin.retryOf());
                ps.setObject(12, Database.toDb(now));
                ps.setObject(13, Database.toDb(now));
                ps.setInt(14, task.recordIds().code());
                ps.setString(15, origin.createdBy());
                ps.setString(16, origin.desktopTag());
                ps.executeUpdate();
            }
            if (runs) {
                ownership.created(c, task.id());
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO execution_task_steps (task_id, step, script_id, script_name, script_type, content)
                    VALUES (?, ?, ?, ?, ?, ?)""")) {
                for (TaskStep step : task.steps()) {
                    ps.setString(1, task.id());
                    ps.setInt(2, step.index());
                    ps.setString(3, step.scriptId());
                    ps.setString(4, step.scriptName());
                    ps.setString(5, step.type().name());
                    ps.setString(6, step.content());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            insertRecords(c, task, plan, targets, keys);
            return null;
        });
        if (runs) {
            ownership.runs(task.id());
        }
        return keys;
    }

    /**
     * One row per desktop and step, {@value #ROWS_PER_STATEMENT} rows to a multi-row INSERT: per-row statements (even
     * batched) cost PostgreSQL a statement execution each, the largest part of creating a task of 15,000 desktops
     * (pg_stat_statements, 2026-12-06: 766 ms of PostgreSQL's 7 s of statement time over three fan-outs to 15,000).
     */
    private static void insertRecords(Connection c, TaskDefinition task, RolloutPlan plan,
                                      Map<String, TargetDesktop> targets, RecordKeys keys) throws SQLException {
        List<Object[]> rows = new ArrayList<>(plan.targetCount() * task.steps().size());
        for (int b = 0; b < plan.batches().size(); b++) {
            RolloutPlan.Batch batch = plan.batches().get(b);
            for (String desktopId : batch.desktopIds()) {
                for (TaskStep step : task.steps()) {
                    long key = keys.of(desktopId, step.index());
                    rows.add(new Object[] {task.recordId(desktopId, step.index(), key), task.id(), task.projectId(),
                            desktopId, targets.get(desktopId).name(), step.index(), batch.order().code(), b, key});
                }
            }
        }
        int whole = rows.size() - rows.size() % ROWS_PER_STATEMENT;
        if (whole > 0) {
            try (PreparedStatement full = c.prepareStatement(insertRecords(ROWS_PER_STATEMENT))) {
                for (int from = 0; from < whole; from += ROWS_PER_STATEMENT) {
                    bindAndRun(full, rows.subList(from, from + ROWS_PER_STATEMENT));
                }
            }
        }
        if (whole < rows.size()) {
            try (PreparedStatement rest = c.prepareStatement(insertRecords(rows.size() - whole))) {
                bindAndRun(rest, rows.subList(whole, rows.size()));
            }
        }
    }

    private static String insertRecords(int rows) {
        return "INSERT INTO execution_records (id, task_id, project_id, desktop_id, desktop_name, step, execute_order,"
                + " batch_index, record_key) VALUES "
                + String.join(", ", Collections.nCopies(rows, "(?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    }

    private static void bindAndRun(PreparedStatement ps, List<Object[]> rows) throws SQLException {
        int i = 0;
        for (Object[] row : rows) {
            for (Object value : row) {
                ps.setObject(++i, value);
            }
        }
        ps.executeUpdate();
    }

    /**
     * Takes a block of {@code count} record numbers (V42__numbered_records.sql) from the database's counter
     * (V58__replicas.sql), in a transaction of its own so the counter's row is locked only for this statement: the
     * engine computes each record's number from the block's start, and replicas creating tasks at once get disjoint
     * blocks. A block lost to a failed insert is a harmless gap.
     */
    private long reserveRecordKeys(long count) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE record_key_counter SET next_key = next_key + ? WHERE id = 1")) {
                ps.setLong(1, count);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT next_key FROM record_key_counter WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) - count;
            }
        });
    }
}
