package io.deskfleet.scheduler;

/** What to do with a fire that has come due. */
public enum MisfireAction {
    /** Run the task once now (on time, or late but within the grace period). */
    FIRE,
    /** Do not run; record the fire as skipped ({@code last_status} SKIP). */
    SKIP
}
