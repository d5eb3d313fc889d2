package io.deskfleet.controlplane.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.scheduler.Schedule;
import io.deskfleet.scheduler.ScheduleParser;
import io.deskfleet.scheduler.ScheduleSpec;
import io.deskfleet.scheduler.trigger.ApplyObject;
import io.deskfleet.scheduler.trigger.ApplyObjectParser;
import io.deskfleet.scheduler.trigger.ApplyObjectSpec;

import java.time.Instant;
import java.util.List;

/**
 * A validated scheduled task as stored. The schedule fields stay raw ({@link ScheduleSpec}) and are parsed again
 * with the stored anchor whenever the schedule is needed.
 *
 * @param type           what the task does when it fires
 * @param applyObjects   as received, validated; parsed again whenever they are needed
 * @param scheduleAnchor when the schedule was created or last modified (anchors DAY schedules without a date)
 * @param nextFireAt     the next clock fire, null when there is none
 * @param lastStatus     SUCCESS, SKIP or FAIL of the latest fire; null before the first
 */
public record ScheduledTask(String id, String projectId, String taskName, TaskType type, ScheduleSpec spec,
                            Instant scheduleAnchor, Integer grayCount, List<String> grayDesktopIds,
                            Integer grayFailThreshold, boolean isGray, boolean forceExecute, String description,
                            boolean enabled, String extraParams, List<ApplyObjectSpec> applyObjects, int priority,
                            int waitTime, Instant nextFireAt, String lastStatus) {

    public ScheduledTask {
        grayDesktopIds = List.copyOf(grayDesktopIds);
        applyObjects = List.copyOf(applyObjects);
    }

    public Schedule schedule() {
        return ScheduleParser.parseStored(spec, scheduleAnchor);
    }

    public List<ApplyObject> parsedApplyObjects() {
        return ApplyObjectParser.parse(applyObjects);
    }

    /** extra_params as its type reads it (validated when stored); null when the task has none. */
    public JsonNode parsedExtraParams() {
        return ExtraParams.parse(extraParams);
    }
}
