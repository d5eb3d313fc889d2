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
 * Documents the errors of {@code POST /v3/auth/tokens}, each with the contract's error body ({@link ErrorBody}): it
 * needs no token, so it has no 403, and it has the failed-login throttle's 429.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ApiResponse(responseCode = "400", description = "Invalid body (`WKS.00211102`, `WKS.0001`).",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorBody.class)))
@ApiResponse(responseCode = "401", description = "Wrong user name or password, or no role in that project"
        + " (`WKS.00211302`).",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorBody.class)))
@ApiResponse(responseCode = "429", description = "Too many failed logins for this user and address; retry after"
        + " the window (`WKS.00210429`).",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorBody.class)))
@ApiResponse(responseCode = "500", description = "Internal error (`WKS.00211401`).",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorBody.class)))
public @interface TokenErrors {
}
