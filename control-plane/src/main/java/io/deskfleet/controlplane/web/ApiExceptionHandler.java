package io.deskfleet.controlplane.web;

import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.error.ErrorBody;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** A refused request: the exception's status and contract body. */
@Produces
@Singleton
public class ApiExceptionHandler implements ExceptionHandler<ApiException, HttpResponse<ErrorBody>> {

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, ApiException exception) {
        return HttpResponse.<ErrorBody>status(HttpStatus.valueOf(exception.httpStatus())).body(exception.toBody());
    }
}
