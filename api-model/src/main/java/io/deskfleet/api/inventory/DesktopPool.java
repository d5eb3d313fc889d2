package io.deskfleet.api.inventory;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A desktop pool as listed and shown; desktop_used counts desktops whose agent is online. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DesktopPool(String id, String name, String description, String type, String status,
                          int desktopCount, int desktopUsed, String createdTime) {
}
