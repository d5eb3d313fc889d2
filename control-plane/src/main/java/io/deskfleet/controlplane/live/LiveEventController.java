package io.deskfleet.controlplane.live;

import io.deskfleet.controlplane.execution.ExecutionQueries;
import io.deskfleet.controlplane.web.openapi.ApiErrors;
import io.deskfleet.controlplane.web.openapi.NotFoundError;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.reactivestreams.Publisher;

/** Server-Sent Event streams of one task and of a whole project (see docs/contract-notes.md, "Live events"). */
@SecurityRequirement(name = "X-Auth-Token") // documents AuthFilter
@Tag(name = "live events")
@ApiErrors
@Controller("/v2/{project_id}")
@ExecuteOn(TaskExecutors.BLOCKING)
public class LiveEventController {
    private final ExecutionQueries queries;
    private final LiveEvents events;

    public LiveEventController(ExecutionQueries queries, LiveEvents events) {
        this.queries = queries;
        this.events = events;
    }

    @Operation(operationId = "streamScriptTaskEvents",
            summary = "Server-Sent Events of one task: snapshot, changes, end")
    @NotFoundError
    @Get(value = "/script-execution-tasks/{task_id}/events", produces = MediaType.TEXT_EVENT_STREAM)
    public HttpResponse<Publisher<byte[]>> task(@PathVariable("project_id") String projectId,
                                                @PathVariable("task_id") String taskId) {
        queries.requireTask(projectId, taskId);
        return stream(events.followTask(taskId));
    }

    @Operation(operationId = "streamProjectEvents",
            summary = "Server-Sent Events of the project's task and desktop online changes")
    @Get(value = "/events", produces = MediaType.TEXT_EVENT_STREAM)
    public HttpResponse<Publisher<byte[]>> project(@PathVariable("project_id") String projectId) {
        return stream(events.followProject(projectId));
    }

    private static HttpResponse<Publisher<byte[]>> stream(Publisher<byte[]> frames) {
        // no-cache: a proxy must not hold the stream back; the frames are already SSE text.
        return HttpResponse.ok(frames).contentType(MediaType.TEXT_EVENT_STREAM_TYPE)
                .header("Cache-Control", "no-cache");
    }
}
