package io.deskfleet.scheduler.trigger;

/** The contract's ApplyObject {@code object_type}. */
public enum ApplyObjectType {
    DESKTOP,
    DESKTOP_POOL,
    ALL_DESKTOPS,
    /** {@code object_id} is a tag {@code key=value}. */
    DESKTOP_TAG
}
