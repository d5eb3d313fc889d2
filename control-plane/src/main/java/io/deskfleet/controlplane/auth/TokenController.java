package io.deskfleet.controlplane.auth;

import io.deskfleet.api.auth.TokenRequest;
import io.deskfleet.api.auth.TokenResponse;
import io.deskfleet.controlplane.db.Times;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.List;

/** Keystone v3 password authentication, the way Workspace clients obtain X-Auth-Token. */
@Controller("/v3/auth/tokens")
@ExecuteOn(TaskExecutors.BLOCKING)
public class TokenController {
    private final TokenService tokens;

    public TokenController(TokenService tokens) {
        this.tokens = tokens;
    }

    @Post
    public HttpResponse<TokenResponse> issue(@Body TokenRequest request) {
        TokenRequest.Credentials credentials = request.validate();
        TokenService.Issued issued = tokens.issue(credentials);
        TokenClaims c = issued.claims();
        String domain = credentials.domainName() == null ? "Default" : credentials.domainName();
        TokenResponse body = new TokenResponse(new TokenResponse.Token(
                Times.iso(c.expiresAt()), Times.iso(c.issuedAt()), List.of("password"),
                new TokenResponse.User(c.userId(), c.userName(), new TokenResponse.Domain(domain)),
                new TokenResponse.Project(c.projectId()),
                List.of(new TokenResponse.Role(c.role().name()))));
        return HttpResponse.<TokenResponse>status(HttpStatus.CREATED).header("X-Subject-Token", issued.token())
                .body(body);
    }
}
