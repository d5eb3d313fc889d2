package io.deskfleet.api.auth;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.validation.Fields;

/** The body of {@code POST /v3.0/OS-CREDENTIAL/credentials}, as Huawei IAM: {"credential":{user_id, description}}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AccessKeyRequest(Credential credential) {
    public static final int MAX_DESCRIPTION_LENGTH = 255;

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Credential(String userId, String description) {
    }

    public Credential validate() {
        if (credential == null || credential.userId() == null || credential.userId().isEmpty()) {
            throw ApiException.invalid("credential.user_id is required.");
        }
        Fields.bounded("credential.user_id", credential.userId(), Fields.MAX_ID_LENGTH);
        if (credential.description() != null && credential.description().length() > MAX_DESCRIPTION_LENGTH) {
            throw ApiException.invalid("credential.description is at most " + MAX_DESCRIPTION_LENGTH + " characters.");
        }
        return credential;
    }
}
