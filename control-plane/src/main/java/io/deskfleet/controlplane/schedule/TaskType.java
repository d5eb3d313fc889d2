package io.deskfleet.controlplane.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.controlplane.inventory.TargetDesktop;
import io.deskfleet.scheduler.ScheduledType;

import java.util.List;

/**
 * One value of the contract's {@code task_type}: what a scheduled task of this type checks before it is stored and
 * what it does when it fires. Each type is a bean in its own package ({@code schedule.power},
 * {@code schedule.script}); {@link TaskTypes} collects every bean, so adding a type edits nothing in this package.
 * Refusals are {@link io.deskfleet.controlplane.refusal.Refused} naming the field, thrown before anything is stored.
 */
public interface TaskType {

    /** The contract's {@code task_type} value: stored with the task, shown in its views and copied into its records. */
    String name();

    /** Whether a task of this type may have this schedule; when not, the task is refused naming task_type. */
    default boolean allows(ScheduledType scheduledType) {
        return true;
    }

    /**
     * Checks this type's own fields in {@code extra_params}, which is already known to be a JSON object of at most
     * 2000 characters, or null when the task has none.
     */
    void validate(JsonNode extraParams);

    /**
     * Runs one fire on its desktops (never empty) and says what it did: an outcome per desktop, or the execution it
     * started, which the fire's record then follows until the execution ends. Runs on the schedule poller's thread.
     */
    FireOutcome fire(ScheduledTask task, List<TargetDesktop> desktops);
}
