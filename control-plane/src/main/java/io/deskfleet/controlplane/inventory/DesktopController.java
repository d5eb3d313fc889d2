package io.deskfleet.controlplane.inventory;

import io.deskfleet.api.common.Page;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.inventory.DesktopDetail;
import io.deskfleet.api.inventory.DesktopList;
import io.deskfleet.api.inventory.DesktopStatus;
import io.deskfleet.api.inventory.DesktopTag;
import io.deskfleet.api.inventory.PowerActionRequest;
import io.deskfleet.controlplane.agentlink.AgentGateway;
import io.deskfleet.controlplane.web.openapi.ApiErrors;
import io.deskfleet.controlplane.web.openapi.ConflictError;
import io.deskfleet.controlplane.web.openapi.NotFoundError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.Map;

@SecurityRequirement(name = "X-Auth-Token") // documents AuthFilter
@Tag(name = "desktops")
@ApiErrors
@Controller("/v2/{project_id}/desktops")
@ExecuteOn(TaskExecutors.BLOCKING)
public class DesktopController {
    private final AgentGateway gateway;
    private final DesktopStore desktops;
    private final PowerService power;

    public DesktopController(DesktopStore desktops, PowerService power, AgentGateway gateway) {
        this.gateway = gateway;
        this.desktops = desktops;
        this.power = power;
    }

    @Operation(operationId = "listDesktopsDetail", summary = "List desktops with their agent state")
    @Get("/detail")
    public DesktopList detail(@PathVariable("project_id") String projectId,
                              @QueryValue @Nullable String status,
                              @QueryValue("pool_id") @Nullable String poolId,
                              @QueryValue @Nullable String tag,
                              @QueryValue("desktop_id") @Nullable String desktopId,
                              @QueryValue @Nullable Integer offset, @QueryValue @Nullable Integer limit) {
        DesktopQuery query = new DesktopQuery(projectId,
                status == null ? null : DesktopStatus.parse(status),
                emptyToNull(poolId),
                tag == null ? null : DesktopTag.parse(tag),
                emptyToNull(desktopId));
        DesktopStore.DesktopPage page = desktops.find(query,
                Page.of(offset, limit, PoolController.DEFAULT_LIMIT, PoolController.MAX_LIMIT));
        return new DesktopList(page.totalCount(), page.desktops());
    }

    @Operation(operationId = "showDesktopDetail", summary = "Show a desktop")
    @NotFoundError
    @Get("/{desktop_id}")
    public DesktopDetail get(@PathVariable("project_id") String projectId,
                             @PathVariable("desktop_id") String desktopId) {
        return new DesktopDetail(desktops.find(projectId, desktopId)
                .orElseThrow(() -> ApiException.notFound("Desktop " + desktopId + " does not exist.")));
    }

    /** Revokes the desktop: persisted first, then its live stream is closed and its agent stops (exit 3). */
    @Operation(operationId = "deleteDesktop", summary = "Revoke a desktop: its agent is cut off at once")
    @NotFoundError
    @Delete("/{desktop_id}")
    public HttpResponse<Void> revoke(@PathVariable("project_id") String projectId,
                                     @PathVariable("desktop_id") String desktopId) {
        if (!desktops.revoke(projectId, desktopId)) {
            throw ApiException.notFound("Desktop " + desktopId + " does not exist.");
        }
        gateway.revoke(desktopId);
        return HttpResponse.ok();
    }

    @Operation(operationId = "batchRunDesktopActions",
            summary = "Power actions: os-start, os-stop, reboot, os-hibernate")
    @NotFoundError
    @ConflictError
    @Post("/actions")
    public Map<String, Object> actions(@PathVariable("project_id") String projectId,
                                       @Body PowerActionRequest request) {
        PowerActionRequest.Validated action = request.validate();
        power.apply(projectId, action.desktopIds(), action.operation());
        return Map.of();
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
