package io.deskfleet.scheduler.trigger;

import io.deskfleet.scheduler.LifeCycleType;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A desktop life-cycle event that may fire triggered tasks.
 *
 * @param poolId      the desktop's pool, or null if it is in none
 * @param desktopTags the desktop's tags, key to value
 */
public record LifeCycleEvent(LifeCycleType type, String desktopId, String poolId, Map<String, String> desktopTags,
                             Instant occurredAt) {
    public LifeCycleEvent {
        Objects.requireNonNull(type);
        Objects.requireNonNull(desktopId);
        Objects.requireNonNull(occurredAt);
        desktopTags = Map.copyOf(desktopTags);
    }
}
