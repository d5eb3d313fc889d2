package io.deskfleet.api.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** The contract's error body, returned with every 4xx and 5xx. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String errorCode, String errorMsg, String errorDetail, String encodedAuthorizationMessage) {

    public static ErrorBody of(String errorCode, String errorMsg) {
        return new ErrorBody(errorCode, errorMsg, null, null);
    }
}
