package io.deskfleet.controlplane.execution;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The engine's time: the injected clock (so a test moves it instead of sleeping) and the two windows every deadline
 * is made of. A command not started within the delivery window ends UNDELIVERABLE or UNKNOWN; one started but
 * without a result within its execution timeout plus the result grace ends TIMEOUT.
 *
 * @param resultGrace time beyond the execution timeout for the agent's own kill and its result to arrive
 */
record Deadlines(Clock clock, Duration deliveryWindow, Duration resultGrace) {

    Instant now() {
        return clock.instant();
    }

    /** When a command dispatched now must have started by. */
    Instant delivery() {
        return now().plus(deliveryWindow);
    }

    /** When a command of {@code task} known to run since {@code from} must have its result by. */
    Instant result(RunningTask task, Instant from) {
        return from.plus(task.executionTimeout()).plus(resultGrace);
    }
}
