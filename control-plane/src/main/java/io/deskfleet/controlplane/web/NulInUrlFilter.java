package io.deskfleet.controlplane.web;

import io.deskfleet.api.error.ErrorBody;
import io.deskfleet.api.error.ErrorCode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Refuses a NUL character (%00) in the path or a query parameter with a 400 naming where it is, before any
 * controller passes it to a query: PostgreSQL refuses NUL in a text parameter, so an id or filter holding one
 * would answer 500 there (H2 just finds nothing). No id, name or filter value of the API can contain NUL.
 * Runs after authentication, so an anonymous caller still learns only that it is unauthorized.
 */
@ServerFilter("/**")
public class NulInUrlFilter implements Ordered {

    @RequestFilter
    public @Nullable HttpResponse<ErrorBody> refuseNul(HttpRequest<?> request) {
        if (request.getPath().indexOf('\0') >= 0
                || request.getUri().getRawPath().toLowerCase(Locale.ROOT).contains("%00")) {
            return refuse("path");
        }
        for (Map.Entry<String, List<String>> parameter : request.getParameters()) {
            if (parameter.getKey().indexOf('\0') >= 0
                    || parameter.getValue().stream().anyMatch(v -> v.indexOf('\0') >= 0)) {
                return refuse(parameter.getKey().replace('\0', '?'));
            }
        }
        return null;
    }

    private static HttpResponse<ErrorBody> refuse(String where) {
        ErrorCode code = ErrorCode.INVALID_PARAMETER;
        return HttpResponse.<ErrorBody>badRequest()
                .body(new ErrorBody(code.code(), where + ": " + TextWithoutNul.REFUSAL, null, null));
    }

    @Override
    public int getOrder() {
        // After AuthFilter (HIGHEST_PRECEDENCE + 100).
        return HIGHEST_PRECEDENCE + 200;
    }
}
