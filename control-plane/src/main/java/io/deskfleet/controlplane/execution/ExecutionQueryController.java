package io.deskfleet.controlplane.execution;

import io.deskfleet.api.common.Page;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.execution.PoolScriptExecutionTaskListResponse;
import io.deskfleet.api.execution.RecordStatus;
import io.deskfleet.api.execution.ScriptExecutionRecordDetail;
import io.deskfleet.api.execution.ScriptExecutionRecordListResponse;
import io.deskfleet.api.execution.ScriptExecutionTaskListResponse;
import io.deskfleet.api.execution.TaskStatus;
import io.deskfleet.api.execution.TaskType;
import io.deskfleet.controlplane.web.openapi.ApiErrors;
import io.deskfleet.controlplane.web.openapi.NotFoundError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Seeing executions: tasks, a pool's tasks, records and one record with its output. */
@SecurityRequirement(name = "X-Auth-Token") // documents AuthFilter
@Tag(name = "results")
@ApiErrors
@Controller("/v2/{project_id}")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ExecutionQueryController {
    private static final int DEFAULT_LIMIT = 10;
    private static final int MAX_LIMIT = 100;

    private final ExecutionViews views;

    public ExecutionQueryController(ExecutionViews views) {
        this.views = views;
    }

    @Operation(operationId = "listScriptTasks", summary = "List execution tasks")
    @Get("/script-execution-tasks")
    public ScriptExecutionTaskListResponse tasks(@PathVariable("project_id") String projectId,
                                                 @QueryValue @Nullable Integer offset,
                                                 @QueryValue @Nullable Integer limit,
                                                 @QueryValue("script_id") @Nullable String scriptId,
                                                 @QueryValue("script_name") @Nullable String scriptName,
                                                 @QueryValue @Nullable String status,
                                                 @QueryValue("task_id") @Nullable String taskId,
                                                 @QueryValue("task_type") @Nullable String taskType,
                                                 @QueryValue("execute_time_start") @Nullable String start,
                                                 @QueryValue("execute_time_end") @Nullable String end,
                                                 @QueryValue("desktop_pool_id") @Nullable String poolId,
                                                 @QueryValue("created_by") @Nullable String createdBy) {
        return views.tasks(projectId, Page.of(offset, limit, DEFAULT_LIMIT, MAX_LIMIT),
                new TaskListQueries.TaskFilter(taskId, status == null ? null : TaskStatus.parse("status", status),
                        taskType == null ? null : TaskType.parse("task_type", taskType), scriptId, scriptName,
                        instant("execute_time_start", start), instant("execute_time_end", end), poolId, createdBy));
    }

    @Operation(operationId = "showDesktopPoolsScriptExecTasks", summary = "List pool execution tasks")
    @Get("/desktop-pools/script-execution-tasks/detail")
    public PoolScriptExecutionTaskListResponse poolTasks(@PathVariable("project_id") String projectId,
                                                         @QueryValue("desktop_pool_id") @Nullable String poolId,
                                                         @QueryValue @Nullable String status,
                                                         @QueryValue @Nullable Integer offset,
                                                         @QueryValue @Nullable Integer limit) {
        return views.poolTasks(projectId, poolId, status == null ? null : TaskStatus.parse("status", status),
                Page.of(offset, limit, DEFAULT_LIMIT, MAX_LIMIT));
    }

    @Operation(operationId = "listScriptRecords", summary = "List execution records, one per desktop and script")
    @Get("/script-execution-records")
    public ScriptExecutionRecordListResponse records(@PathVariable("project_id") String projectId,
                                                     @QueryValue @Nullable Integer offset,
                                                     @QueryValue @Nullable Integer limit,
                                                     @QueryValue("resource_id") @Nullable String resourceId,
                                                     @QueryValue("script_id") @Nullable String scriptId,
                                                     @QueryValue @Nullable String status,
                                                     @QueryValue("script_task_id") @Nullable String taskId,
                                                     @QueryValue("task_type") @Nullable String taskType) {
        return views.records(projectId, Page.of(offset, limit, DEFAULT_LIMIT, MAX_LIMIT),
                new RecordListQueries.RecordFilter(taskId, resourceId, scriptId,
                        status == null ? null : RecordStatus.parse("status", status),
                        taskType == null ? null : TaskType.parse("task_type", taskType)));
    }

    @Operation(operationId = "showScriptRecordDetail", summary = "Show a record with its output excerpt and exit code")
    @NotFoundError
    @Get("/script-execution-records/{record_id}")
    public ScriptExecutionRecordDetail record(@PathVariable("project_id") String projectId,
                                              @PathVariable("record_id") String recordId) {
        return views.record(projectId, recordId);
    }

    private static Instant instant(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(field + ": must be an ISO-8601 instant such as 2026-11-23T09:00:00Z");
        }
    }
}
