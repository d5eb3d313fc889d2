package io.deskfleet.controlplane.execution;

import io.deskfleet.api.execution.DesktopPoolExecutionRequest;
import io.deskfleet.api.execution.DesktopTagExecutionRequest;
import io.deskfleet.api.execution.ExecutionRefRequest;
import io.deskfleet.api.execution.RolloutPlanResponse;
import io.deskfleet.api.execution.ScriptExecutionRequest;
import io.deskfleet.api.execution.TaskIdResponse;
import io.deskfleet.controlplane.web.openapi.ApiErrors;
import io.deskfleet.controlplane.web.openapi.ConflictError;
import io.deskfleet.controlplane.web.openapi.NotFoundError;
import io.deskfleet.controlplane.web.openapi.TaskStartResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.Map;

/** The contract's two execution endpoints, the by-tag sibling, stop and retry. */
@SecurityRequirement(name = "X-Auth-Token") // documents AuthFilter
@Tag(name = "executions")
@ApiErrors
@Controller("/v2/{project_id}")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ExecutionController {
    private final ExecutionService executions;

    public ExecutionController(ExecutionService executions) {
        this.executions = executions;
    }

    /** Answers {task_id}, or the rollout plan for a dry run. */
    @Operation(operationId = "executeDesktopPoolScript",
            summary = "Run a command or scripts on a pool's desktops, gray batch first")
    @TaskStartResponse
    @NotFoundError
    @Post("/desktop-pools/{pool_id}/script-executions")
    public Object onPool(@PathVariable("project_id") String projectId, @PathVariable("pool_id") String poolId,
                         @Body DesktopPoolExecutionRequest request) {
        return response(executions.start(projectId, request.validate(poolId)));
    }

    @Operation(operationId = "executeScriptOrCommand", summary = "Run scripts on desktops, gray batch first")
    @TaskStartResponse
    @NotFoundError
    @Post("/script-executions")
    public Object onDesktops(@PathVariable("project_id") String projectId, @Body ScriptExecutionRequest request) {
        return response(executions.start(projectId, request.validate()));
    }

    @Operation(operationId = "executeScriptByDesktopTag",
            summary = "Run a command or scripts on the desktops with a tag, gray batch first")
    @TaskStartResponse
    @NotFoundError
    @Post("/script-executions/by-desktop-tag")
    public Object onTag(@PathVariable("project_id") String projectId, @Body DesktopTagExecutionRequest request) {
        return response(executions.start(projectId, request.validate()));
    }

    @Operation(operationId = "stopScriptExecution", summary = "Stop a task, or one desktop's run")
    @NotFoundError
    @ConflictError
    @Post("/script-executions/stop")
    public Map<String, Object> stop(@PathVariable("project_id") String projectId, @Body ExecutionRefRequest request) {
        executions.stop(projectId, request.validate());
        return Map.of();
    }

    @Operation(operationId = "retryScriptExecution",
            summary = "Run a finished task's failed desktops again, or one record")
    @NotFoundError
    @ConflictError
    @Post("/script-executions/retry")
    public TaskIdResponse retry(@PathVariable("project_id") String projectId, @Body ExecutionRefRequest request) {
        return started(executions.retry(projectId, request.validate()));
    }

    /** The contract answers a start with one of two bodies: the new task's id, or a dry run's plan. */
    private static Object response(StartResult result) {
        if (result instanceof StartResult.Planned planned) {
            return planResponse(planned.plan(), planned.offlineCount());
        }
        return started((StartResult.Started) result);
    }

    /** What a dry run returns; {@code offlineCount}: targets with no agent connected when it was planned. */
    static RolloutPlanResponse planResponse(RolloutPlan plan, int offlineCount) {
        return new RolloutPlanResponse(plan.targetCount(), offlineCount,
                plan.hasGrayBatch() ? plan.grayFailThreshold() : null,
                plan.batches().stream()
                        .map(b -> new RolloutPlanResponse.Batch(b.order().code(), b.desktopIds()))
                        .toList());
    }

    private static TaskIdResponse started(StartResult.Started started) {
        return new TaskIdResponse(started.taskId(), started.offlineCount());
    }
}
