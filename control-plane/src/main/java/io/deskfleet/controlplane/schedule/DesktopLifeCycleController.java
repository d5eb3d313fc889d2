package io.deskfleet.controlplane.schedule;

import io.deskfleet.controlplane.inventory.DesktopStore;
import io.deskfleet.controlplane.refusal.Refusal;
import io.deskfleet.controlplane.web.openapi.ApiErrors;
import io.deskfleet.controlplane.web.openapi.NotFoundError;
import io.deskfleet.scheduler.LifeCycleType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Clock;
import java.util.Map;

/**
 * Deskfleet manages no VM images: "rebuild" and "reattach" only record that the operator did it, raising
 * POST_REBUILD_DESKTOP_SUCCESS / POST_REATTACH_DESKTOP_SUCCESS for the desktop's triggered tasks.
 */
@SecurityRequirement(name = "X-Auth-Token") // documents AuthFilter
@Tag(name = "scheduled tasks")
@ApiErrors
@Controller("/v2/{project_id}/desktops/{desktop_id}")
@ExecuteOn(TaskExecutors.BLOCKING)
public class DesktopLifeCycleController {
    private final DesktopStore desktops;
    private final LifeCycleTriggers triggers;
    private final Clock clock;

    public DesktopLifeCycleController(DesktopStore desktops, LifeCycleTriggers triggers, Clock clock) {
        this.desktops = desktops;
        this.triggers = triggers;
        this.clock = clock;
    }

    @Operation(operationId = "reportDesktopRebuilt",
            summary = "Record that a desktop was rebuilt (fires POST_REBUILD_DESKTOP_SUCCESS tasks)")
    @NotFoundError
    @Post("/rebuild")
    public Map<String, Object> rebuild(@PathVariable("project_id") String projectId,
                                       @PathVariable("desktop_id") String desktopId) {
        return raise(projectId, desktopId, LifeCycleType.POST_REBUILD_DESKTOP_SUCCESS);
    }

    @Operation(operationId = "reportDesktopReattached",
            summary = "Record that a desktop was reattached (fires POST_REATTACH_DESKTOP_SUCCESS tasks)")
    @NotFoundError
    @Post("/reattach")
    public Map<String, Object> reattach(@PathVariable("project_id") String projectId,
                                        @PathVariable("desktop_id") String desktopId) {
        return raise(projectId, desktopId, LifeCycleType.POST_REATTACH_DESKTOP_SUCCESS);
    }

    /** The triggers are stored before the answer; the body says how many tasks will run. */
    private Map<String, Object> raise(String projectId, String desktopId, LifeCycleType type) {
        if (desktops.find(projectId, desktopId).isEmpty()) {
            throw Refusal.notFound("Desktop " + desktopId + " does not exist.").asException();
        }
        return Map.of("triggered_tasks", triggers.raise(type, desktopId, clock.instant()));
    }
}
