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
        if (runs) {
            ownership.runs(task.id());
        }
        return keys;
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
