package io.deskfleet.controlplane.approval;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deskfleet.controlplane.auth.Caller;
import io.deskfleet.controlplane.db.Times;
import io.deskfleet.controlplane.refusal.Refusal;
import io.deskfleet.controlplane.web.openapi.ApiErrors;
import io.deskfleet.controlplane.web.openapi.ConflictError;
import io.deskfleet.controlplane.web.openapi.NotFoundError;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

/** Marking pools and tags protected: executions and fires that touch their desktops wait for a second admin. */
@SecurityRequirement(name = "X-Auth-Token") // documents AuthFilter
@Tag(name = "approvals")
@ApiErrors
@Controller("/v2/{project_id}/protected-targets")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ProtectedTargetController {
    private final ProtectedTargetStore store;
    private final Clock clock;

    public ProtectedTargetController(ProtectedTargetStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProtectionRequest(String objectType, String objectId) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProtectionView(String id, String objectType, String objectId, String createdBy, String createdAt) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProtectionList(long totalCount, List<ProtectionView> protectedTargets) {
    }

    @Operation(operationId = "listProtectedTargets", summary = "List protected pools and tags")
    @Get
    public ProtectionList list(@PathVariable("project_id") String projectId) {
        List<ProtectionView> views = store.list(projectId).stream().map(ProtectedTargetController::view).toList();
        return new ProtectionList(views.size(), views);
    }

    @Operation(operationId = "createProtectedTarget", summary = "Protect a pool or a tag: its tasks wait for approval")
    @NotFoundError
    @ConflictError
    @Post
    public ProtectionView add(@Parameter(hidden = true) Caller caller, @PathVariable("project_id") String projectId,
                              @Body ProtectionRequest request) {
        ProtectedTarget.Type type = ProtectedTarget.parseType(request.objectType());
        ProtectedTarget.refuseObjectId(type, request.objectId()).ifPresent(r -> {
            throw r.asException();
        });
        if (type == ProtectedTarget.Type.DESKTOP_POOL && !store.poolExists(projectId, request.objectId())) {
            throw Refusal.notFound("Desktop pool " + request.objectId() + " does not exist.").asException();
        }
        ProtectedTarget target = new ProtectedTarget(UUID.randomUUID().toString(), projectId, type,
                request.objectId(), caller.userName(), clock.instant());
        if (!store.add(target)) {
            throw Refusal.alreadyExists(type + " " + request.objectId() + " is protected already.").asException();
        }
        return view(target);
    }

    @Operation(operationId = "deleteProtectedTarget", summary = "Stop protecting a pool or tag")
    @ApiResponse(responseCode = "204", description = "No longer protected.")
    @NotFoundError
    @Delete("/{id}")
    public HttpResponse<Void> remove(@PathVariable("project_id") String projectId, @PathVariable("id") String id) {
        if (!store.remove(projectId, id)) {
            throw Refusal.notFound("No protected target " + id + " in this project.").asException();
        }
        return HttpResponse.noContent();
    }

    private static ProtectionView view(ProtectedTarget t) {
        return new ProtectionView(t.id(), t.objectType().name(), t.objectId(), t.createdBy(),
                Times.iso(t.createdAt()));
    }
}
