package io.deskfleet.controlplane.approval;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deskfleet.api.common.Page;
import io.deskfleet.controlplane.auth.Caller;
import io.deskfleet.controlplane.approval.ApprovalViews.ApprovalView;
import io.deskfleet.controlplane.refusal.Refusal;
import io.deskfleet.controlplane.web.openapi.ApiErrors;
import io.deskfleet.controlplane.web.openapi.ConflictError;
import io.deskfleet.controlplane.web.openapi.NotFoundError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;
import java.util.Locale;

/**
 * Held execution tasks and their approval, one per task (keyed by the task id). Reading is open to the project's
 * users; approving and rejecting to its admins (the auth filter refuses readonly callers anything but GET).
 */
@SecurityRequirement(name = "X-Auth-Token") // documents AuthFilter
@Tag(name = "approvals")
@ApiErrors
@Controller("/v2/{project_id}/approvals")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ApprovalController {
    private static final int DEFAULT_LIMIT = 10;
    private static final int MAX_LIMIT = 100;

    private final ApprovalStore approvals;
    private final ApprovalDecisions decisions;
    private final ApprovalViews views;

    public ApprovalController(ApprovalStore approvals, ApprovalDecisions decisions, ApprovalViews views) {
        this.approvals = approvals;
        this.decisions = decisions;
        this.views = views;
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ApprovalList(long totalCount, List<ApprovalView> approvals) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RejectRequest(String reason) {
    }

    @Operation(operationId = "listApprovals", summary = "List tasks held for approval and decided ones")
    @Get
    public ApprovalList list(@PathVariable("project_id") String projectId, @QueryValue @Nullable String status,
                             @QueryValue @Nullable Integer offset, @QueryValue @Nullable Integer limit) {
        ApprovalStore.Listed listed = approvals.list(projectId, status(status),
                Page.of(offset, limit, DEFAULT_LIMIT, MAX_LIMIT));
        return new ApprovalList(listed.totalCount(),
                listed.approvals().stream().map(views::view).toList());
    }

    @Operation(operationId = "showApproval", summary = "Show a task's approval")
    @NotFoundError
    @Get("/{task_id}")
    public ApprovalView one(@PathVariable("project_id") String projectId, @PathVariable("task_id") String taskId) {
        return views.view(decisions.require(projectId, taskId));
    }

    @Operation(operationId = "approveScriptTask", summary = "Approve a held task (an admin other than its requester)")
    @NotFoundError
    @ConflictError
    @Post("/{task_id}/approve")
    public ApprovalView approve(@Parameter(hidden = true) Caller caller, @PathVariable("project_id") String projectId,
                                @PathVariable("task_id") String taskId) {
        return views.view(decisions.approve(caller, projectId, taskId));
    }

    @Operation(operationId = "rejectScriptTask", summary = "Reject a held task: it is CANCELLED and runs nothing")
    @NotFoundError
    @ConflictError
    @Post("/{task_id}/reject")
    public ApprovalView reject(@Parameter(hidden = true) Caller caller, @PathVariable("project_id") String projectId,
                               @PathVariable("task_id") String taskId, @Body RejectRequest request) {
        return views.view(decisions.reject(caller, projectId, taskId, request.reason()));
    }

    private static ApprovalStatus status(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return ApprovalStatus.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid("status: must be one of PENDING_APPROVAL, APPROVED, REJECTED, EXPIRED")
                    .asException();
        }
    }
}
