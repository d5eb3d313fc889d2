package io.deskfleet.controlplane.web;

import io.deskfleet.api.error.ErrorBody;
import io.deskfleet.api.error.ErrorCode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anything no more specific handler claims is a bug or an outage: logged with its stack trace, answered 500 with no
 * internals in the body.
 */
@Produces
@Singleton
public class UnexpectedErrorHandler implements ExceptionHandler<Throwable, HttpResponse<ErrorBody>> {
    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedErrorHandler.class);

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, Throwable exception) {
        LOG.error("unexpected error method={} path={}", request.getMethod(), request.getPath(), exception);
        ErrorCode code = ErrorCode.INTERNAL;
        return HttpResponse.<ErrorBody>serverError().body(ErrorBody.of(code.code(), code.defaultMessage()));
    }
}
