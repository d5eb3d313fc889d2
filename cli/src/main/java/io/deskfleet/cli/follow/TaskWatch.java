package io.deskfleet.cli.follow;

import io.deskfleet.api.execution.RecordStatus;
import io.deskfleet.api.execution.ScriptExecutionRecord;
import io.deskfleet.api.execution.ScriptExecutionTask;
import io.deskfleet.api.execution.TaskScript;
import io.deskfleet.api.execution.TaskStatus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the event stream has said about one task: the latest task snapshot and every record, with per-desktop and
 * per-batch tallies kept up to date on each record event in O(1), so following a task of 10,000 desktops stays
 * linear. Events are idempotent: a reconnect re-sends the snapshot and only changes are counted.
 */
public final class TaskWatch {
    private enum Outcome { PENDING, SUCCEEDED, FAILED, SKIPPED }

    private final String taskId;
    private ScriptExecutionTask task;
    private TaskStatus endStatus;
    private final Map<String, ScriptExecutionRecord> records = new HashMap<>();
    private final Map<String, DesktopTally> desktops = new HashMap<>();
    private final Map<Integer, EnumMap<Outcome, Integer>> batches = new TreeMap<>();
    /** Desktops per batch as the task's targets say, known from its first event, before its records arrive. */
    private final Map<Integer, Integer> planned = new TreeMap<>();

    public TaskWatch(String taskId) {
        this.taskId = taskId;
    }

    public void task(ScriptExecutionTask snapshot) {
        task = snapshot;
        int all = snapshot.resourceIds() == null ? 0 : snapshot.resourceIds().size();
        int gray = snapshot.grayResourceIds() == null ? 0 : snapshot.grayResourceIds().size();
        planned.clear();
        if (all == 0) {
            return; // not a task as the API shows one (it has at least one target): sizes come from records
        }
        if (gray == 0) {
            planned.put(0, all);
        } else {
            planned.put(1, gray);
            if (all > gray) {
                planned.put(2, all - gray);
            }
        }
    }

    public void end(TaskStatus status) {
        endStatus = status;
    }

    /** Applies a record event; true when it is this record's first failed state (a reconnect's copy is not). */
    public boolean record(ScriptExecutionRecord record) {
        ScriptExecutionRecord previous = records.put(record.id(), record);
        DesktopTally desktop = desktops.get(record.resourceId());
        Outcome before = null;
        if (desktop == null) {
            desktop = new DesktopTally(record.executeOrder());
            desktops.put(record.resourceId(), desktop);
        } else {
            before = desktop.outcome();
        }
        if (previous != null) {
            desktop.remove(previous.status());
        }
        desktop.add(record.status());
        Outcome after = desktop.outcome();
        EnumMap<Outcome, Integer> batch = batches.computeIfAbsent(desktop.order, order -> new EnumMap<>(Outcome.class));
        if (before != null) {
            batch.merge(before, -1, Integer::sum);
        }
        batch.merge(after, 1, Integer::sum);
        return record.status().isFailure() && (previous == null || !previous.status().isFailure());
    }

    public String taskId() {
        return taskId;
    }

    /** The latest task snapshot, or null before the first task event. */
    public ScriptExecutionTask task() {
        return task;
    }

    /** The status of the end event, or null while the task runs. */
    public TaskStatus endStatus() {
        return endStatus;
    }

    /**
     * Batches in execution order (gray before the rest), each with its planned size from the first task event, so
     * a batch's total does not grow while the snapshot's records stream in.
     */
    public List<Batch> batches() {
        Map<Integer, Integer> orders = new TreeMap<>(planned);
        batches.keySet().forEach(order -> orders.putIfAbsent(order, 0));
        List<Batch> result = new ArrayList<>();
        orders.forEach((order, size) -> {
            EnumMap<Outcome, Integer> counts = batches.getOrDefault(order, new EnumMap<>(Outcome.class));
            int pending = counts.getOrDefault(Outcome.PENDING, 0);
            int succeeded = counts.getOrDefault(Outcome.SUCCEEDED, 0);
            int failed = counts.getOrDefault(Outcome.FAILED, 0);
            int skipped = counts.getOrDefault(Outcome.SKIPPED, 0);
            int seen = pending + succeeded + failed + skipped;
            result.add(new Batch(order, Math.max(size, seen), succeeded, failed, skipped));
        });
        return result;
    }

    /**
     * One record per desktop, the one that tells how the desktop ended: its first failure, else its first record that
     * did not succeed, else its last script's. Ordered by batch, then desktop name.
     */
    public List<ScriptExecutionRecord> decisiveRecords() {
        Map<String, Integer> scriptOrder = new HashMap<>();
        if (task != null && task.taskScripts() != null) {
            List<TaskScript> scripts = task.taskScripts();
            for (int i = 0; i < scripts.size(); i++) {
                scriptOrder.put(scripts.get(i).id(), i);
            }
        }
        Comparator<ScriptExecutionRecord> telling = Comparator
                .comparingInt((ScriptExecutionRecord r) -> rank(r.status()))
                .thenComparing(r -> r.status() == RecordStatus.SUCCESS
                        ? -scriptOrder.getOrDefault(r.scriptId(), 0) : scriptOrder.getOrDefault(r.scriptId(), 0));
        Map<String, ScriptExecutionRecord> perDesktop = new HashMap<>();
        for (ScriptExecutionRecord record : records.values()) {
            perDesktop.merge(record.resourceId(), record, (a, b) -> telling.compare(a, b) <= 0 ? a : b);
        }
        List<ScriptExecutionRecord> rows = new ArrayList<>(perDesktop.values());
        rows.sort(Comparator.comparingInt(ScriptExecutionRecord::executeOrder)
                .thenComparing(r -> r.resourceName() == null ? r.resourceId() : r.resourceName())
                .thenComparing(ScriptExecutionRecord::resourceId));
        return rows;
    }

    private static int rank(RecordStatus status) {
        if (status.isFailure()) {
            return 0;
        }
        return switch (status) {
            case WAITING, RUNNING -> 1;
            case CANCELLED -> 2;
            case SKIPPED -> 3;
            default -> 4;
        };
    }

    private static final class DesktopTally {
        final int order;
        int unfinished;
        int failures;
        int skips;

        DesktopTally(int order) {
            this.order = order;
        }

        void add(RecordStatus status) {
            count(status, 1);
        }

        void remove(RecordStatus status) {
            count(status, -1);
        }

        private void count(RecordStatus status, int delta) {
            if (!status.isTerminal()) {
                unfinished += delta;
            } else if (status.isFailure()) {
                failures += delta;
            } else if (status.isSkip()) {
                skips += delta;
            }
        }

        Outcome outcome() {
            if (unfinished > 0) {
                return Outcome.PENDING;
            }
            if (failures > 0) {
                return Outcome.FAILED;
            }
            return skips > 0 ? Outcome.SKIPPED : Outcome.SUCCEEDED;
        }
    }
}
