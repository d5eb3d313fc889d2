package io.deskfleet.controlplane.inventory;

import io.deskfleet.api.inventory.Activation;
import io.deskfleet.api.inventory.CreateActivationRequest;
import io.deskfleet.controlplane.db.Times;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;

@SecurityRequirement(name = "X-Auth-Token") // documents AuthFilter
@Controller("/v2/{project_id}/agent-activations")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ActivationController {
    private final ActivationStore activations;

    public ActivationController(ActivationStore activations) {
        this.activations = activations;
    }

    @Post
    public Activation create(@PathVariable("project_id") String projectId, @Body CreateActivationRequest request) {
        ActivationStore.NewActivation created = activations.create(projectId, request.validated());
        return new Activation(created.id(), created.code(), created.poolId(), created.registrationLimit(),
                Times.iso(created.expiresAt()));
    }
}
