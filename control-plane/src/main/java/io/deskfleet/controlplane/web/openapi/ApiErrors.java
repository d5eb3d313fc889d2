package io.deskfleet.controlplane.web.openapi;

import io.deskfleet.api.error.ErrorBody;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents, on every operation of an annotated controller, the errors any {@code /v2} call can get, each with the
 * contract's error body ({@link ErrorBody}). A stereotype, so that the OpenAPI annotation processor reads the same
 * responses on every controller without them being repeated. Errors only some operations get are added per
 * operation: {@link NotFoundError}, {@link ConflictError}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ApiResponse(responseCode = "400", description = "Invalid parameter, path or body (`WKS.00211102`, `WKS.0001`).",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorBody.class)))
@ApiResponse(responseCode = "401", description = "No valid `X-Auth-Token` or access-key signature (`WKS.00211302`).",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorBody.class)))
@ApiResponse(responseCode = "403", description = "A token of another project, or a `readonly` caller writing"
        + " (`WKS.00210403`).",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorBody.class)))
@ApiResponse(responseCode = "500", description = "Internal error (`WKS.00211401`).",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorBody.class)))
public @interface ApiErrors {
}
