package io.deskfleet.controlplane.auth;

import io.deskfleet.api.error.ErrorBody;
import io.deskfleet.api.error.ErrorCode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.util.Optional;

/**
 * Every /v2/{project_id}/... request needs a valid X-Auth-Token scoped to that project, and a caller whose role there
 * is READONLY may only read (GET, HEAD). The caller is put on the request for controllers (see {@link Caller}).
 */
@ServerFilter("/v2/**")
public class AuthFilter implements Ordered {
    static final String HEADER = "X-Auth-Token";

    private final TokenService tokens;

    public AuthFilter(TokenService tokens) {
        this.tokens = tokens;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<ErrorBody> authenticate(HttpRequest<?> request) {
        Optional<TokenClaims> claims = tokens.verify(request.getHeaders().get(HEADER));
        if (claims.isEmpty()) {
            return refuse(HttpStatus.UNAUTHORIZED, ErrorCode.UNAUTHORIZED,
                    "X-Auth-Token is missing, malformed, badly signed or expired.");
        }
        String pathProject = projectOf(request.getPath());
        if (!claims.get().projectId().equals(pathProject)) {
            return refuse(HttpStatus.FORBIDDEN, ErrorCode.FORBIDDEN,
                    "The token is scoped to another project than the one in the path.");
        }
        Caller caller = claims.get().caller();
        if (caller.role() == Caller.Role.READONLY && !isRead(request.getMethod())) {
            return refuse(HttpStatus.FORBIDDEN, ErrorCode.FORBIDDEN, "The readonly role may only read (GET).");
        }
        request.setAttribute(Caller.ATTRIBUTE, caller);
        return null;
    }

    private static boolean isRead(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.HEAD;
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
