package io.deskfleet.api.inventory;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/** Body of {@code GET /v2/{project_id}/desktop-pools/{pool_id}/desktops}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PoolDesktopList(long totalCount, List<Desktop> poolDesktops) {
}
