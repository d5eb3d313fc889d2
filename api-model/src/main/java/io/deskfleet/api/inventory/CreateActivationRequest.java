package io.deskfleet.api.inventory;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.validation.Fields;

/** Body of {@code POST /v2/{project_id}/agent-activations}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CreateActivationRequest(String poolId, Integer registrationLimit, Integer expiresInHours,
                                      String description) {
    public static final int DEFAULT_REGISTRATION_LIMIT = 1;
    public static final int DEFAULT_EXPIRES_IN_HOURS = 24;

    /** Validates and fills in defaults. */
    public CreateActivationRequest validated() {
        if (poolId == null || poolId.isEmpty()) {
            throw ApiException.invalid("pool_id is required.");
        }
        Fields.bounded("pool_id", poolId, Fields.MAX_ID_LENGTH);
        int limit = registrationLimit == null ? DEFAULT_REGISTRATION_LIMIT : registrationLimit;
        if (limit < 1 || limit > 10000) {
            throw ApiException.invalid("registration_limit must be between 1 and 10000.");
        }
        int hours = expiresInHours == null ? DEFAULT_EXPIRES_IN_HOURS : expiresInHours;
        if (hours < 1 || hours > 720) {
            throw ApiException.invalid("expires_in_hours must be between 1 and 720.");
        }
        if (description != null && description.length() > 256) {
            throw ApiException.invalid("description must be at most 256 characters.");
        }
        return new CreateActivationRequest(poolId, limit, hours, description);
    }
}
