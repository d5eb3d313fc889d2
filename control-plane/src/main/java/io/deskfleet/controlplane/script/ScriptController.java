package io.deskfleet.controlplane.script;

import io.deskfleet.api.common.Page;
import io.deskfleet.api.script.CreateScriptRequest;
import io.deskfleet.api.script.ScriptDetail;
import io.deskfleet.api.script.ScriptIdResponse;
import io.deskfleet.api.script.ScriptListResponse;
import io.deskfleet.api.script.ScriptType;
import io.deskfleet.api.script.UpdateScriptRequest;
import io.deskfleet.controlplane.web.openapi.ApiErrors;
import io.deskfleet.controlplane.web.openapi.NotFoundError;
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
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

@SecurityRequirement(name = "X-Auth-Token") // documents AuthFilter
@Tag(name = "scripts")
@ApiErrors
@Controller("/v2/{project_id}/scripts")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ScriptController {
    private final ScriptStore scripts;

    public ScriptController(ScriptStore scripts) {
        this.scripts = scripts;
    }

    @Operation(operationId = "createScript", summary = "Store a script")
    @Post
    public ScriptIdResponse create(@PathVariable("project_id") String projectId, @Body CreateScriptRequest request) {
        return new ScriptIdResponse(scripts.create(projectId, request.validate()));
    }

    @Operation(operationId = "listScripts", summary = "List scripts")
    @Get
    public ScriptListResponse list(@PathVariable("project_id") String projectId,
                                   @QueryValue @Nullable Integer offset, @QueryValue @Nullable Integer limit,
                                   @QueryValue @Nullable String id, @QueryValue @Nullable String name,
                                   @QueryValue @Nullable String type) {
        return scripts.list(projectId, Page.of(offset, limit, 10, 100), id, name,
                type == null ? null : ScriptType.parse("type", type));
    }

    @Operation(operationId = "showScriptDetail", summary = "Show a script with its content")
    @NotFoundError
    @Get("/{script_id}")
    public ScriptDetail get(@PathVariable("project_id") String projectId, @PathVariable("script_id") String scriptId) {
        return scripts.get(projectId, scriptId);
    }

    @Operation(operationId = "updateScript", summary = "Update a script (not its type)")
    @ApiResponse(responseCode = "204", description = "Updated.")
    @NotFoundError
    @Put("/{script_id}")
    public HttpResponse<Void> update(@PathVariable("project_id") String projectId,
                                     @PathVariable("script_id") String scriptId,
                                     @Body UpdateScriptRequest request) {
        ScriptDetail stored = scripts.get(projectId, scriptId);
        scripts.update(projectId, scriptId, request.validate(stored.type()));
        return HttpResponse.noContent();
    }

    @Operation(operationId = "deleteScript", summary = "Delete a script")
    @ApiResponse(responseCode = "204", description = "Deleted.")
    @NotFoundError
    @Delete("/{script_id}")
    public HttpResponse<Void> delete(@PathVariable("project_id") String projectId,
                                     @PathVariable("script_id") String scriptId) {
        scripts.delete(projectId, scriptId);
        return HttpResponse.noContent();
    }
}
