package io.deskfleet.scheduler;

/** The contract's {@code life_cycle_type}: the desktop event that fires a LIFE_CYCLE task. */
public enum LifeCycleType {
    POST_CREATE_DESKTOP_SUCCESS,
    POST_REBUILD_DESKTOP_SUCCESS,
    POST_REATTACH_DESKTOP_SUCCESS,
    POST_DESKTOP_DISCONNECTED
}
