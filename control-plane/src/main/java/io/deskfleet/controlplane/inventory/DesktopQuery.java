package io.deskfleet.controlplane.inventory;

import io.deskfleet.api.inventory.DesktopStatus;
import io.deskfleet.api.inventory.DesktopTag;
import io.micronaut.core.annotation.Nullable;

/** Filters of a desktop listing; null means "any". */
public record DesktopQuery(String projectId, @Nullable DesktopStatus status, @Nullable String poolId,
                           @Nullable DesktopTag tag, @Nullable String desktopId) {
}
