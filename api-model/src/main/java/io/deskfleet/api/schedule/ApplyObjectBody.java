package io.deskfleet.api.schedule;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** The contract's ApplyObject, in requests and responses. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ApplyObjectBody(String objectId, String objectType) {
}
