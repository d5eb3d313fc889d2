package io.deskfleet.controlplane.inventory;

import io.deskfleet.api.inventory.Activation;
import io.deskfleet.api.inventory.CreateActivationRequest;
import io.deskfleet.controlplane.db.Times;
import io.deskfleet.controlplane.web.openapi.ApiErrors;
import io.deskfleet.controlplane.web.openapi.NotFoundError;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

@SecurityRequirement(name = "X-Auth-Token") // documents AuthFilter
@Tag(name = "agents")
@ApiErrors
@Controller("/v2/{project_id}/agent-activations")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ActivationController {
    private final ActivationStore activations;

    public ActivationController(ActivationStore activations) {
        this.activations = activations;
    }

    @Operation(operationId = "createAgentActivation",
            summary = "Create an activation that lets agents register into a pool")
    @NotFoundError
    @Post
    public Activation create(@PathVariable("project_id") String projectId, @Body CreateActivationRequest request) {
        ActivationStore.NewActivation created = activations.create(projectId, request.validated());
        return new Activation(created.id(), created.code(), created.poolId(), created.registrationLimit(),
                Times.iso(created.expiresAt()));
    }
}
