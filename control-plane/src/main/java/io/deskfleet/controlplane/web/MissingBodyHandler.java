package io.deskfleet.controlplane.web;

import io.deskfleet.api.error.ErrorBody;
import io.deskfleet.api.error.ErrorCode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.web.router.exceptions.UnsatisfiedBodyRouteException;
import jakarta.inject.Singleton;

/** A required body that is missing or empty is the contract's 400 WKS.0001, not a generic invalid parameter. */
@Produces
@Singleton
public class MissingBodyHandler implements ExceptionHandler<UnsatisfiedBodyRouteException, HttpResponse<ErrorBody>> {

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, UnsatisfiedBodyRouteException exception) {
        ErrorCode code = ErrorCode.EMPTY_REQUEST;
        return HttpResponse.<ErrorBody>badRequest()
                .body(new ErrorBody(code.code(), code.defaultMessage(), exception.getMessage(), null));
    }
}
