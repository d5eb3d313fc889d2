package io.deskfleet.api.error;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The contract's error body, returned with every 4xx and 5xx, always with all four fields: clients written for the
 * public API read {@code error_detail} and {@code encoded_authorization_message} without checking for them.
 * {@code error_detail} says more than {@code error_msg} where there is more to say, else repeats it;
 * {@code encoded_authorization_message} is always {@code ""}, since Deskfleet has no STS to encode a reason for.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ErrorBody(String errorCode, String errorMsg, String errorDetail, String encodedAuthorizationMessage) {

    public ErrorBody {
        errorDetail = errorDetail == null || errorDetail.isEmpty() ? errorMsg : errorDetail;
        encodedAuthorizationMessage = encodedAuthorizationMessage == null ? "" : encodedAuthorizationMessage;
    }

    public static ErrorBody of(String errorCode, String errorMsg) {
        return new ErrorBody(errorCode, errorMsg, null, null);
    }
}
