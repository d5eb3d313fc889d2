package io.deskfleet.api.inventory;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Body of {@code GET /v2/{project_id}/desktops/{desktop_id}}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DesktopDetail(Desktop desktop) {
}
