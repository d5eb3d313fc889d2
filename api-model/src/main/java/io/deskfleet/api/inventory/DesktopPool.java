package io.deskfleet.api.inventory;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A desktop pool as listed and shown; desktop_used counts desktops whose agent is online. Nulls are written. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record DesktopPool(String id, String name, String description, String type, String status,
                          int desktopCount, int desktopUsed, String createdTime) {
}
