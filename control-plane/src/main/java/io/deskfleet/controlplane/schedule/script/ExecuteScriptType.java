package io.deskfleet.controlplane.schedule.script;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.api.execution.ExecutionRequest;
import io.deskfleet.api.execution.ExecutionTarget;
import io.deskfleet.api.execution.GraySpec;
import io.deskfleet.api.execution.MaxConcurrency;
import io.deskfleet.api.execution.PostFinish;
import io.deskfleet.api.execution.PreStart;
import io.deskfleet.controlplane.execution.ExecutionService;
import io.deskfleet.controlplane.execution.StartResult;
import io.deskfleet.controlplane.inventory.TargetDesktop;
import io.deskfleet.controlplane.refusal.Refused;
import io.deskfleet.controlplane.schedule.FireOutcome;
import io.deskfleet.controlplane.schedule.FireStatus;
import io.deskfleet.controlplane.schedule.ScheduledTask;
import io.deskfleet.controlplane.schedule.TaskType;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * EXECUTE_SCRIPT: a fire starts one execution task on its desktops through the rollout engine, with the task's gray
 * fields and force_execute, and the fire's record follows that execution.
 */
@Singleton
public class ExecuteScriptType implements TaskType {
    private static final Logger LOG = LoggerFactory.getLogger(ExecuteScriptType.class);

    private final ExecutionService executions;

    public ExecuteScriptType(ExecutionService executions) {
        this.executions = executions;
    }

    @Override
    public String name() {
        return "EXECUTE_SCRIPT";
    }

    @Override
    public void validate(JsonNode extraParams) {
        ScriptAction.parse(extraParams);
    }

    @Override
    public FireOutcome fire(ScheduledTask task, List<TargetDesktop> desktops) {
        ScriptAction action = ScriptAction.parse(task.parsedExtraParams());
        ExecutionRequest request = new ExecutionRequest(
                new ExecutionTarget.Desktops(desktops.stream().map(TargetDesktop::id).toList()),
                action.payload(), gray(task), action.executionTimeoutMinutes(),
                task.forceExecute() ? PreStart.START : PreStart.NONE, PostFinish.NONE, MaxConcurrency.UNLIMITED,
                false);
        try {
            // the record follows its execution: RUNNING now, SUCCESS or FAIL when the rollout ends
            return FireOutcome.of(FireStatus.RUNNING, start(task.projectId(), request));
        } catch (Refused e) {
            // e.g. a script deleted since the task was saved, or gray desktops not among the targets
            LOG.warn("scheduled task {} could not start its execution: {}", task.id(), e.getMessage());
            return FireOutcome.of(FireStatus.FAIL, null);
        }
    }

    /** The one call into the execution service: the started task's id (a dry run is never asked for). */
    private String start(String projectId, ExecutionRequest request) {
        return ((StartResult.Started) executions.start(projectId, request)).taskId();
    }

    /** gray_* only count when is_gray is true; gray_count wins over gray_desktop_ids, as in executions. */
    static GraySpec gray(ScheduledTask task) {
        int threshold = task.grayFailThreshold() == null ? 1 : task.grayFailThreshold();
        if (!task.isGray()) {
            return new GraySpec.None();
        }
        if (task.grayCount() != null && task.grayCount() > 0) {
            return new GraySpec.Count(task.grayCount(), threshold);
        }
        if (!task.grayDesktopIds().isEmpty()) {
            return new GraySpec.Desktops("gray_desktop_ids", task.grayDesktopIds(), threshold);
        }
        return new GraySpec.None();
    }
}
