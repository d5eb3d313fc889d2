package io.deskfleet.controlplane.auth;

import io.deskfleet.api.auth.TokenRequest;
import io.deskfleet.api.auth.TokenResponse;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.controlplane.db.Times;
import io.deskfleet.controlplane.web.openapi.TokenErrors;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

/** Keystone v3 password authentication, the way Workspace clients obtain X-Auth-Token. */
@Tag(name = "tokens")
@Controller("/v3/auth/tokens")
@ExecuteOn(TaskExecutors.BLOCKING)
public class TokenController {
    private final TokenService tokens;
    private final LoginThrottle throttle;

    public TokenController(TokenService tokens, LoginThrottle throttle) {
        this.tokens = tokens;
        this.throttle = throttle;
    }

    @Operation(operationId = "keystoneCreateUserTokenByPassword",
            summary = "Issue a token for a project (Keystone v3 password body)")
    @ApiResponse(responseCode = "201", description = "The token is in the X-Subject-Token header.",
            headers = @Header(name = "X-Subject-Token", description = "The token, for X-Auth-Token.",
                    schema = @Schema(type = "string")),
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = TokenResponse.class)))
    @TokenErrors
    @Post
    public HttpResponse<TokenResponse> issue(HttpRequest<?> http, @Body TokenRequest request) {
        TokenRequest.Credentials credentials = request.validate();
        String client = http.getRemoteAddress().getAddress().getHostAddress();
        throttle.check(credentials.userName(), client);
        TokenService.Issued issued;
        try {
            issued = tokens.issue(credentials);
        } catch (ApiException e) {
            throttle.failed(credentials.userName(), client);
            throw e;
        }
        throttle.succeeded(credentials.userName(), client);
        TokenClaims c = issued.claims();
        String domain = credentials.domainName() == null ? "Default" : credentials.domainName();
        TokenResponse body = new TokenResponse(new TokenResponse.Token(
                Times.iso(c.expiresAt()), Times.iso(c.issuedAt()), List.of("password"),
                new TokenResponse.User(c.userId(), c.userName(), new TokenResponse.Domain(domain)),
                new TokenResponse.Project(c.projectId()),
                List.of(new TokenResponse.Role(c.role().apiName()))));
        return HttpResponse.<TokenResponse>status(HttpStatus.CREATED).header("X-Subject-Token", issued.token())
                .body(body);
    }
}
