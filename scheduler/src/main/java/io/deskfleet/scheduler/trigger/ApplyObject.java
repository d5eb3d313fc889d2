package io.deskfleet.scheduler.trigger;

import java.util.Map;
import java.util.Objects;

/**
 * A validated object a triggered task applies to. Built by {@link ApplyObjectParser}. For ALL_DESKTOPS the id is
 * ignored (and may be null).
 */
public record ApplyObject(ApplyObjectType type, String objectId) {
    public ApplyObject {
        Objects.requireNonNull(type);
        if (type != ApplyObjectType.ALL_DESKTOPS) {
            Objects.requireNonNull(objectId);
        }
        if (type == ApplyObjectType.DESKTOP_TAG && objectId.indexOf('=') < 1) {
            throw new IllegalArgumentException("a DESKTOP_TAG object id is key=value, got " + objectId);
        }
    }

    /** Whether the event's desktop is one of this object's desktops. Ids and tags compare case-sensitively. */
    boolean covers(LifeCycleEvent event) {
        return switch (type) {
            case ALL_DESKTOPS -> true;
            case DESKTOP -> objectId.equals(event.desktopId());
            case DESKTOP_POOL -> objectId.equals(event.poolId());
            case DESKTOP_TAG -> hasTag(event.desktopTags());
        };
    }

    private boolean hasTag(Map<String, String> tags) {
        int separator = objectId.indexOf('=');
        String key = objectId.substring(0, separator);
        String value = objectId.substring(separator + 1);
        return value.equals(tags.get(key));
    }
}
