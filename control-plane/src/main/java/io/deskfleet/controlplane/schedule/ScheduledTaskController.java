package io.deskfleet.controlplane.schedule;

import io.deskfleet.api.common.Page;
import io.deskfleet.api.execution.TaskIdResponse;
import io.deskfleet.api.schedule.BatchDeleteRequest;
import io.deskfleet.api.schedule.FutureExecutions;
import io.deskfleet.api.schedule.ScheduledTaskDetail;
import io.deskfleet.api.schedule.ScheduledTaskList;
import io.deskfleet.api.schedule.ScheduledTaskRequest;
import io.deskfleet.api.schedule.TaskRecordDetailList;
import io.deskfleet.api.schedule.TaskRecordList;
import io.deskfleet.api.validation.Fields;
import io.deskfleet.controlplane.refusal.Refusal;
import io.deskfleet.controlplane.web.openapi.ApiErrors;
import io.deskfleet.controlplane.web.openapi.NotFoundError;
import io.deskfleet.scheduler.Schedule;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The scheduled-task endpoints of the contract. Every request is validated completely before anything is stored. */
@SecurityRequirement(name = "X-Auth-Token") // documents AuthFilter
@Tag(name = "scheduled tasks")
@ApiErrors
@Controller("/v2/{project_id}/scheduled-tasks")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ScheduledTaskController {
    /** How many fire times future-executions shows. */
    static final int FUTURE_EXECUTIONS = 5;

    private final ScheduledTaskStore tasks;
    private final ScheduledTaskRules rules;
    private final RecordQueries records;
    private final Clock clock;

    public ScheduledTaskController(ScheduledTaskStore tasks, ScheduledTaskRules rules, RecordQueries records,
                                   Clock clock) {
        this.tasks = tasks;
        this.rules = rules;
        this.records = records;
        this.clock = clock;
    }

    @Operation(operationId = "createScheduledTasks", summary = "Create a scheduled or life-cycle task")
    @NotFoundError
    @Post
    public TaskIdResponse create(@PathVariable("project_id") String projectId,
                                 @Body ScheduledTaskRequest request) {
        Instant now = clock.instant();
        ScheduledTask task = rules.create(UUID.randomUUID().toString(), projectId, request, now);
        tasks.insert(task, now);
        return new TaskIdResponse(task.id());
    }

    @Operation(operationId = "listScheduledTasks", summary = "List scheduled tasks")
    @Get
    public ScheduledTaskList list(@PathVariable("project_id") String projectId,
                                  @QueryValue @Nullable Integer offset, @QueryValue @Nullable Integer limit,
                                  @QueryValue("task_name") @Nullable String taskName,
                                  @QueryValue("task_type") @Nullable String taskType,
                                  @QueryValue("scheduled_type") @Nullable String scheduledType,
                                  @QueryValue("life_cycle_type") @Nullable String lifeCycleType,
                                  @QueryValue("last_status") @Nullable String lastStatus) {
        ScheduledTaskStore.TaskPage page = tasks.list(projectId, Page.of(offset, limit, 10, 50),
                new ScheduledTaskStore.Filter(taskName, taskType, scheduledType, lifeCycleType, lastStatus));
        return new ScheduledTaskList(page.totalCount(),
                page.tasks().stream().map(ScheduledTaskViews::summary).toList());
    }

    @Operation(operationId = "showScheduledTasks", summary = "Show a scheduled task")
    @NotFoundError
    @Get("/{task_id}")
    public ScheduledTaskDetail get(@PathVariable("project_id") String projectId,
                                   @PathVariable("task_id") String taskId) {
        return ScheduledTaskViews.detail(tasks.require(projectId, taskId));
    }

    /** Partial update; the next fire is recomputed at once. 200 with an empty body, as the contract page says. */
    @Operation(operationId = "updateScheduledTasks", summary = "Update a scheduled task")
    @NotFoundError
    @Put("/{task_id}")
    public HttpResponse<Void> modify(@PathVariable("project_id") String projectId,
                                     @PathVariable("task_id") String taskId, @Body ScheduledTaskRequest request) {
        Instant now = clock.instant();
        ScheduledTask modified = rules.modify(tasks.require(projectId, taskId), request, now);
        tasks.update(modified, now);
        return HttpResponse.ok();
    }

    @Operation(operationId = "deleteScheduledTasks", summary = "Delete a scheduled task")
    @NotFoundError
    @Delete("/{task_id}")
    public HttpResponse<Void> delete(@PathVariable("project_id") String projectId,
                                     @PathVariable("task_id") String taskId) {
        tasks.delete(projectId, List.of(taskId));
        return HttpResponse.ok();
    }

    /** All or nothing: an unknown id is a 404 and deletes none. */
    @Operation(operationId = "batchDeleteScheduledTasks", summary = "Delete scheduled tasks")
    @Post("/batch-delete")
    public HttpResponse<Void> batchDelete(@PathVariable("project_id") String projectId,
                                          @Body BatchDeleteRequest request) {
        List<String> ids = Fields.ids("task_ids", request.taskIds());
        if (ids.isEmpty()) {
            throw Refusal.invalid("task_ids: is required").asException();
        }
        if (ids.size() > 100) {
            throw Refusal.invalid("task_ids: at most 100 ids").asException();
        }
        tasks.delete(projectId, ids);
        return HttpResponse.ok();
    }

    /** The next fire times of a schedule, validated like a new task's; empty for LIFE_CYCLE. */
    @Operation(operationId = "listFutureExecutions", summary = "The next fire times of a schedule")
    @Post("/future-executions")
    public FutureExecutions futureExecutions(@PathVariable("project_id") String projectId,
                                             @Body ScheduledTaskRequest request) {
        Instant now = clock.instant();
        Schedule schedule = rules.schedule(request, now);
        return new FutureExecutions(schedule.nextFires(now, FUTURE_EXECUTIONS).stream()
                .map(schedule::format).toList());
    }

    @Operation(operationId = "listScheduledTasksRecords", summary = "A scheduled task's fires")
    @NotFoundError
    @Get("/{task_id}/records")
    public TaskRecordList records(@PathVariable("project_id") String projectId,
                                  @PathVariable("task_id") String taskId,
                                  @QueryValue @Nullable Integer offset, @QueryValue @Nullable Integer limit) {
        tasks.require(projectId, taskId);
        return ScheduledTaskViews.records(records.records(taskId, Page.of(offset, limit, 10, 100)));
    }

    @Operation(operationId = "listScheduledTasksRecordsDetails", summary = "A fire's per-desktop results")
    @NotFoundError
    @Get("/{task_id}/records/{record_id}")
    public TaskRecordDetailList recordDetails(@PathVariable("project_id") String projectId,
                                              @PathVariable("task_id") String taskId,
                                              @PathVariable("record_id") String recordId,
                                              @QueryValue @Nullable Integer offset,
                                              @QueryValue @Nullable Integer limit) {
        tasks.require(projectId, taskId);
        return ScheduledTaskViews.details(records.details(taskId, recordId, Page.of(offset, limit, 10, 100)));
    }
}
