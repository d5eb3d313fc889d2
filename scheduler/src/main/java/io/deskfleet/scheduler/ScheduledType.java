package io.deskfleet.scheduler;

/** The contract's {@code scheduled_type}. */
public enum ScheduledType {
    FIXED_TIME,
    DAY,
    WEEK,
    MONTH,
    /** Fired by desktop life-cycle events, never by the clock. */
    LIFE_CYCLE
}
