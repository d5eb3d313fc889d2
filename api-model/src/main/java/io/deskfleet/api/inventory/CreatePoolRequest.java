package io.deskfleet.api.inventory;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deskfleet.api.error.ApiException;

import java.util.Set;

/** Body of {@code POST /v2/{project_id}/desktop-pools}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CreatePoolRequest(String name, String description, String type) {
    public static final Set<String> TYPES = Set.of("DYNAMIC", "STATIC");

    public void validate() {
        if (name == null || name.isBlank() || name.length() > 255) {
            throw ApiException.invalid("name is required and must be 1-255 characters.");
        }
        if (description != null && description.length() > 1024) {
            throw ApiException.invalid("description must be at most 1024 characters.");
        }
        if (type == null || !TYPES.contains(type)) {
            throw ApiException.invalid("type must be DYNAMIC or STATIC.");
        }
    }
}
