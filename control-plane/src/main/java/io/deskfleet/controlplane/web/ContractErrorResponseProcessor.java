package io.deskfleet.controlplane.web;

import io.deskfleet.api.error.ErrorBody;
import io.deskfleet.api.error.ErrorCode;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

import java.util.stream.Collectors;

/**
 * Gives every error Micronaut itself answers (unknown route, wrong method, unreadable JSON, wrong field type, body
 * too large, unsupported media type) the contract body; a field of the wrong JSON type is named in error_msg, as
 * our own validation does. Replaces Micronaut's default processor, which only exists
 * when no other {@link ErrorResponseProcessor} bean does.
 */
@Singleton
public class ContractErrorResponseProcessor implements ErrorResponseProcessor<ErrorBody> {

    @Override
    public MutableHttpResponse<ErrorBody> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        ErrorCode code = ErrorCodes.forStatus(response.status().getCode());
        String detail = context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
        String message = context.getRootCause().flatMap(JsonBindingErrors::message).orElse(code.defaultMessage());
        ErrorBody body = new ErrorBody(code.code(), message, detail, null);
        return response.body(body).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
