package io.deskfleet.scheduler.trigger;

import java.time.Instant;

/** A triggered task chosen for an event, and when it runs: the event time plus the task's wait_time. */
public record TriggeredFire(TriggeredTask task, Instant fireAt) {
}
