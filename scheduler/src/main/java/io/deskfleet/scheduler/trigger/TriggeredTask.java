package io.deskfleet.scheduler.trigger;

import io.deskfleet.scheduler.InvalidFieldException;
import io.deskfleet.scheduler.LifeCycleType;

import java.util.List;
import java.util.Objects;

/**
 * A LIFE_CYCLE scheduled task as trigger selection sees it. The constructor enforces the contract ranges, so
 * building one from a request validates {@code priority} and {@code wait_time}.
 *
 * @param priority        1 (highest) to 50 (lowest)
 * @param waitTimeSeconds delay between the event and the run, 0 to 43200
 */
public record TriggeredTask(String id, boolean enabled, LifeCycleType lifeCycleType, int priority,
                            int waitTimeSeconds, List<ApplyObject> applyObjects) {
    public static final int HIGHEST_PRIORITY = 1;
    public static final int LOWEST_PRIORITY = 50;
    public static final int MAX_WAIT_TIME_SECONDS = 43_200;

    public TriggeredTask {
        Objects.requireNonNull(id);
        Objects.requireNonNull(lifeCycleType);
        if (priority < HIGHEST_PRIORITY || priority > LOWEST_PRIORITY) {
            throw new InvalidFieldException("priority", "priority must be between 1 and 50, got " + priority);
        }
        if (waitTimeSeconds < 0 || waitTimeSeconds > MAX_WAIT_TIME_SECONDS) {
            throw new InvalidFieldException("wait_time", "wait_time must be between 0 and 43200 seconds, got " + waitTimeSeconds);
        }
        applyObjects = List.copyOf(applyObjects);
    }
}
