package io.deskfleet.controlplane.execution;

import io.deskfleet.api.execution.TaskStatus;
import io.deskfleet.controlplane.db.Database;
import io.deskfleet.controlplane.inventory.TargetDesktop;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Map;

/**
 * Stores a new task: its row, its steps and one record per desktop and step, in one transaction. Hand-written JDBC
 * because a task of 10,000 desktops inserts its records as JDBC batches of {@value #JDBC_BATCH} rows with numbers
 * handed out here; a repository would insert them one statement at a time and fetch each generated key.
 */
@Singleton
public class TaskCreation {
    private static final int JDBC_BATCH = 1_000;

    private final Database db;
    /**
     * The next free record number (V42__numbered_records.sql), read from the database when the first task is created.
     * Numbers are handed out here rather than by a database sequence because a task takes a block of them, one per
     * record, and the engine computes each from the block's start; a block lost to a failed insert is a harmless gap.
     * One control plane owns its database (the engine's state is in its memory), so no other process takes numbers.
     */
    private long nextRecordKey = -1;

    public TaskCreation(Database db) {
        this.db = db;
    }

    /**
     * Stores a new task with its steps and one record per desktop and step, in one transaction. A record has no
     * outcome yet: it is WAITING until {@link ExecutionStore#apply} stores one.
     *
     * @return the numbers the task's records were stored with
     */
    public RecordKeys create(TaskDefinition task, RolloutPlan plan, Map<String, TargetDesktop> targets,
                             TaskOrigin origin, Instant now) {
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
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO execution_records (id, task_id, project_id, desktop_id, desktop_name, step,
                        execute_order, batch_index, record_key)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                int rows = 0;
                for (int b = 0; b < plan.batches().size(); b++) {
                    RolloutPlan.Batch batch = plan.batches().get(b);
                    for (String desktopId : batch.desktopIds()) {
                        for (TaskStep step : task.steps()) {
                            long key = keys.of(desktopId, step.index());
                            ps.setString(1, task.recordId(desktopId, step.index(), key));
                            ps.setString(2, task.id());
                            ps.setString(3, task.projectId());
                            ps.setString(4, desktopId);
                            ps.setString(5, targets.get(desktopId).name());
                            ps.setInt(6, step.index());
                            ps.setInt(7, batch.order().code());
                            ps.setInt(8, b);
                            ps.setLong(9, key);
                            ps.addBatch();
                            if (++rows % JDBC_BATCH == 0) {
                                ps.executeBatch();
                            }
                        }
                    }
                }
                ps.executeBatch();
            }
            return null;
        });
        return keys;
    }

    private synchronized long reserveRecordKeys(long count) {
        if (nextRecordKey < 0) {
            nextRecordKey = db.query(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT COALESCE(MAX(record_key), 0) + 1 FROM execution_records");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
        }
        long base = nextRecordKey;
        nextRecordKey += count;
        return base;
    }
}
