package io.deskfleet.controlplane.execution;

import io.deskfleet.api.common.Page;
import io.deskfleet.api.execution.PoolScriptExecutionTask;
import io.deskfleet.api.execution.PoolScriptExecutionTaskListResponse;
import io.deskfleet.api.execution.ScriptExecutionRecord;
import io.deskfleet.api.execution.ScriptExecutionRecordDetail;
import io.deskfleet.api.execution.ScriptExecutionRecordListResponse;
import io.deskfleet.api.execution.ScriptExecutionTask;
import io.deskfleet.api.execution.ScriptExecutionTaskListResponse;
import io.deskfleet.api.execution.TaskScript;
import io.deskfleet.api.execution.TaskStatus;
import io.deskfleet.controlplane.db.Times;
import io.deskfleet.controlplane.execution.RecordListQueries.RecordDetail;
import io.deskfleet.controlplane.execution.RecordListQueries.RecordFilter;
import io.deskfleet.controlplane.execution.RecordListQueries.RecordRow;
import io.deskfleet.controlplane.execution.TaskListQueries.ListedTask;
import io.deskfleet.controlplane.execution.TaskListQueries.PoolTask;
import io.deskfleet.controlplane.execution.TaskListQueries.TaskFilter;
import io.deskfleet.controlplane.execution.TaskListQueries.TaskRow;
import io.deskfleet.controlplane.execution.payload.PayloadKind;
import io.deskfleet.controlplane.execution.payload.PayloadKinds;
import io.deskfleet.controlplane.refusal.Refusal;
import jakarta.inject.Singleton;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Executions as the REST API and the live event stream show them: the list queries' rows turned into the API
 * model's records. The one place those records are built, so the stores stay free of them.
 */
@Singleton
public class ExecutionViews {
    /** Every execution targets desktops; the contract's resource_type has no other value yet. */
    private static final String RESOURCE_TYPE = "DESKTOP";

    private final TaskListQueries tasks;
    private final RecordListQueries records;
    private final PayloadKinds payloads;

    public ExecutionViews(TaskListQueries tasks, RecordListQueries records, PayloadKinds payloads) {
        this.tasks = tasks;
        this.records = records;
        this.payloads = payloads;
    }

    /** A task as one entry of GET script-execution-tasks shows it, with the project it belongs to. */
    public record ProjectTask(String projectId, ScriptExecutionTask task) {
    }

    public ScriptExecutionTaskListResponse tasks(String projectId, Page page, TaskFilter filter) {
        Listed<ListedTask> listed = tasks.tasks(projectId, page, filter);
        return new ScriptExecutionTaskListResponse(listed.totalCount(),
                listed.items().stream().map(this::task).toList());
    }

    /** The tasks with these ids that exist, in no particular order. */
    public List<ProjectTask> tasksByIds(Collection<String> taskIds) {
        return tasks.tasksByIds(taskIds).stream()
                .map(t -> new ProjectTask(t.task().projectId(), task(t)))
                .toList();
    }

    public PoolScriptExecutionTaskListResponse poolTasks(String projectId, String poolId, TaskStatus status,
                                                         Page page) {
        Listed<PoolTask> listed = tasks.poolTasks(projectId, poolId, status, page);
        return new PoolScriptExecutionTaskListResponse(listed.totalCount(),
                listed.items().stream().map(this::poolTask).toList());
    }

    public ScriptExecutionRecordListResponse records(String projectId, Page page, RecordFilter filter) {
        Listed<RecordRow> listed = records.records(projectId, page, filter);
        return new ScriptExecutionRecordListResponse(listed.totalCount(),
                listed.items().stream().map(ExecutionViews::record).toList());
    }

    /** Every record of a task, in the order GET script-execution-records lists them. */
    public List<ScriptExecutionRecord> recordsOfTask(String taskId) {
        return records.recordsOfTask(taskId).stream().map(ExecutionViews::record).toList();
    }

    /** The records with these ids that exist. */
    public List<ScriptExecutionRecord> recordsByIds(Collection<String> recordIds) {
        return records.recordsByIds(recordIds).stream().map(ExecutionViews::record).toList();
    }

    /** Every record of these desktops in the task. */
    public List<ScriptExecutionRecord> recordsOfDesktops(String taskId, Collection<String> desktopIds) {
        return records.recordsOfDesktops(taskId, desktopIds).stream().map(ExecutionViews::record).toList();
    }

    /** @throws io.deskfleet.controlplane.refusal.Refused not found when the project has no such record */
    public ScriptExecutionRecordDetail record(String projectId, String recordId) {
        RecordDetail detail = records.record(projectId, recordId).orElseThrow(
                () -> Refusal.notFound("Record " + recordId + " does not exist.").asException());
        RecordRow r = detail.record();
        return new ScriptExecutionRecordDetail(r.id(), r.scriptId(), r.scriptName(), r.taskId(), r.desktopId(),
                r.desktopName(), RESOURCE_TYPE, Times.iso(r.startTime()), Times.iso(r.endTime()), r.status(),
                r.executeOrder(), r.resultCode(), r.reason(), detail.output(), detail.outputTruncated(),
                detail.exitCode(), lateResult(r));
    }

    private ScriptExecutionTask task(ListedTask listed) {
        TaskRow row = listed.task();
        TaskStep command = payloads.shown(row.taskType(), listed.steps()).command();
        TaskOrigin origin = row.origin();
        return new ScriptExecutionTask(row.id(), taskScripts(listed.steps()), RESOURCE_TYPE, listed.targets(),
                listed.grayTargets(), row.counts().successNum(), row.counts().failedNum(), row.counts().skipNum(),
                Times.iso(row.startTime()), Times.iso(row.endTime()), row.status(), origin.createdBy(), row.poolId(),
                row.poolName(), origin.desktopTag(), command == null ? null : command.content(),
                command == null ? null : command.type(), listed.targetNames(), origin.retryOf());
    }

    private PoolScriptExecutionTask poolTask(PoolTask pool) {
        TaskRow row = pool.task();
        PayloadKind.Shown shown = payloads.shown(row.taskType(), pool.steps());
        TaskStep command = shown.command();
        return new PoolScriptExecutionTask(row.id(), row.poolId(), row.poolName(),
                shown.scripts() == null ? null : taskScripts(shown.scripts()),
                command == null ? null : command.content(), command == null ? null : command.type(),
                Times.iso(row.startTime()), Times.iso(row.endTime()), row.status(), row.counts().successNum(),
                row.counts().failedNum(), row.counts().skipNum());
    }

    /** The distinct scripts a task's steps ran, in step order; an inline command is none. */
    private static List<TaskScript> taskScripts(List<TaskStep> steps) {
        Set<TaskScript> scripts = new LinkedHashSet<>();
        for (TaskStep step : steps) {
            if (step.scriptId() != null) {
                scripts.add(new TaskScript(step.scriptId(), step.scriptName()));
            }
        }
        return List.copyOf(scripts);
    }

    private static ScriptExecutionRecord record(RecordRow r) {
        return new ScriptExecutionRecord(r.id(), r.scriptId(), r.scriptName(), r.taskId(), r.desktopId(),
                r.desktopName(), RESOURCE_TYPE, Times.iso(r.startTime()), Times.iso(r.endTime()), r.status(),
                r.executeOrder(), r.resultCode(), r.reason(), lateResult(r));
    }

    /** late_result appears only on a late record: absent, not false, on every other. */
    private static Boolean lateResult(RecordRow r) {
        return r.lateResult() ? Boolean.TRUE : null;
    }
}
