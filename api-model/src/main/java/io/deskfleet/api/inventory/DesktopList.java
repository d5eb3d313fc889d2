package io.deskfleet.api.inventory;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/** Body of {@code GET /v2/{project_id}/desktops/detail}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DesktopList(long totalCount, List<Desktop> desktops) {
}
