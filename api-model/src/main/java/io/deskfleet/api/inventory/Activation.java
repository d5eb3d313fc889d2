package io.deskfleet.api.inventory;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A new activation; activation_code is shown only in this response. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Activation(String activationId, String activationCode, String poolId, int registrationLimit,
                         String expiresAt) {
}
