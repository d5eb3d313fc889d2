package io.deskfleet.controlplane.auth;

import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.error.ErrorBody;
import io.deskfleet.api.error.ErrorCode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.Optional;

/**
 * Every /v2/{project_id}/... request, and the access-key API, needs a caller: either a valid X-Auth-Token (scoped
 * to the path's project) or an access-key signature ({@code Authorization: SDK-HMAC-SHA256 ...}, see
 * {@link SignedRequestAuthenticator}). A caller whose role in the project is READONLY may only read (GET, HEAD). The
 * caller is put on the request for controllers (see {@link Caller}).
 */
@ServerFilter({"/v2/**", AccessKeyController.PATH, AccessKeyController.PATH + "/**"})
public class AuthFilter implements Ordered {
    static final String HEADER = "X-Auth-Token";
    static final String PROJECT_HEADER = "X-Project-Id";

    private final TokenService tokens;
    private final SignedRequestAuthenticator signed;

    public AuthFilter(TokenService tokens, SignedRequestAuthenticator signed) {
        this.tokens = tokens;
        this.signed = signed;
    }

    /** The body is part of an access-key signature, so the filter reads it (the controller still gets it). */
    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    public @Nullable HttpResponse<?> authenticate(HttpRequest<?> request, @Nullable @Body byte[] body) {
        String authorization = request.getHeaders().get("Authorization");
        if (request.getHeaders().get(HEADER) == null && SdkSignature.isSigned(authorization)) {
            return authenticateSigned(request, body == null ? new byte[0] : body);
        }
        return authenticateToken(request);
    }

    private @Nullable HttpResponse<?> authenticateToken(HttpRequest<?> request) {
        Optional<TokenClaims> claims = tokens.verify(request.getHeaders().get(HEADER));
        if (claims.isEmpty()) {
            return refuse(HttpStatus.UNAUTHORIZED, ErrorCode.UNAUTHORIZED,
                    "X-Auth-Token is missing, malformed, badly signed or expired.");
        }
        String pathProject = projectOf(request.getPath());
        if (isProjectPath(request.getPath()) && !claims.get().projectId().equals(pathProject)) {
            return refuse(HttpStatus.FORBIDDEN, ErrorCode.FORBIDDEN,
                    "The token is scoped to another project than the one in the path.");
        }
        return admit(request, claims.get().caller());
    }

    private @Nullable HttpResponse<?> authenticateSigned(HttpRequest<?> request, byte[] body) {
        String project = isProjectPath(request.getPath()) ? projectOf(request.getPath())
                : request.getHeaders().get(PROJECT_HEADER);
        String headerProject = request.getHeaders().get(PROJECT_HEADER);
        if (project == null || project.isEmpty() || (headerProject != null && !headerProject.equals(project))) {
            return refuse(HttpStatus.FORBIDDEN, ErrorCode.FORBIDDEN,
                    "X-Project-Id must be present and match the project in the path.");
        }
        try {
            return admit(request, signed.authenticate(request, body, project));
        } catch (ApiException e) {
            return refuse(HttpStatus.valueOf(e.httpStatus()), e.errorCode(), e.getMessage());
        }
    }

    private static @Nullable HttpResponse<?> admit(HttpRequest<?> request, Caller caller) {
        // set before the role check, so the audit trail names the readonly caller it refuses
        request.setAttribute(Caller.ATTRIBUTE, caller);
        if (isProjectPath(request.getPath()) && caller.role() == Caller.Role.READONLY && !isRead(request.getMethod())) {
            return refuse(HttpStatus.FORBIDDEN, ErrorCode.FORBIDDEN, "The readonly role may only read (GET).");
        }
        return null;
    }

    private static boolean isRead(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.HEAD;
    }

    private static boolean isProjectPath(String path) {
        return path.startsWith("/v2/");
    }

    /** The segment after /v2/, or "" when the path has none. */
    static String projectOf(String path) {
        if (!path.startsWith("/v2/")) {
            return "";
        }
        String rest = path.substring("/v2/".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    private static HttpResponse<ErrorBody> refuse(HttpStatus status, ErrorCode code, String detail) {
        return HttpResponse.<ErrorBody>status(status)
                .body(new ErrorBody(code.code(), code.defaultMessage(), detail, ""));
    }

    @Override
    public int getOrder() {
        // Before any filter that might act on the caller.
        return HIGHEST_PRECEDENCE + 100;
    }
}
