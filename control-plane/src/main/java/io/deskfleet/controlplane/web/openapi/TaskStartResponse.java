package io.deskfleet.controlplane.web.openapi;

import io.deskfleet.api.execution.RolloutPlanResponse;
import io.deskfleet.api.execution.TaskIdResponse;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents the answer of the three execution starts, which return {@code Object}: the new task's id, or with
 * {@code dry_run} the rollout plan (the processor would otherwise describe a bare object).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ApiResponse(responseCode = "200", description = "The new task's id; with dry_run, the batches it would run.",
        content = @Content(mediaType = "application/json",
                schema = @Schema(oneOf = {TaskIdResponse.class, RolloutPlanResponse.class})))
public @interface TaskStartResponse {
}
