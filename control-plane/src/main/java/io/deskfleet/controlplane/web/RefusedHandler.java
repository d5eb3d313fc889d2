package io.deskfleet.controlplane.web;

import io.deskfleet.api.error.ErrorBody;
import io.deskfleet.api.error.ErrorCode;
import io.deskfleet.controlplane.refusal.Refusal;
import io.deskfleet.controlplane.refusal.Refused;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** The REST edge of a domain refusal: the one place its reason becomes an HTTP status and the contract's body. */
@Produces
@Singleton
public class RefusedHandler implements ExceptionHandler<Refused, HttpResponse<ErrorBody>> {

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, Refused exception) {
        ErrorCode code = errorCode(exception.refusal().reason());
        return HttpResponse.<ErrorBody>status(HttpStatus.valueOf(code.httpStatus()))
                .body(new ErrorBody(code.code(), exception.refusal().message(), null, null));
    }

    static ErrorCode errorCode(Refusal.Reason reason) {
        return switch (reason) {
            case INVALID_ARGUMENT -> ErrorCode.INVALID_PARAMETER;
            case NOT_FOUND -> ErrorCode.NOT_FOUND;
            case ALREADY_EXISTS, INVALID_STATE -> ErrorCode.CONFLICT;
            case NOT_PERMITTED -> ErrorCode.FORBIDDEN;
        };
    }
}
