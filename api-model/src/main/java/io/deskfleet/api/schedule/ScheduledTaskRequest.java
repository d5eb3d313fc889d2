package io.deskfleet.api.schedule;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * Body of POST and PUT /v2/{project_id}/scheduled-tasks[/{task_id}]. Every field may be absent: on PUT an absent
 * field keeps its stored value. The control plane validates it (it needs the scheduler module and the stored task).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ScheduledTaskRequest(
        String taskName,
        String taskType,
        String scheduledType,
        Integer dayInterval,
        String weekList,
        String monthList,
        String dateList,
        String scheduledDate,
        String scheduledTime,
        String expireTime,
        String lifeCycleType,
        String timeZone,
        Integer grayCount,
        List<String> grayDesktopIds,
        Integer grayFailThreshold,
        Boolean isGray,
        Boolean forceExecute,
        String description,
        Boolean enable,
        String extraParams,
        List<ApplyObjectBody> applyObjects,
        String applyObjectUpdateType,
        Integer priority,
        Integer waitTime) {

    /** Whether any field of the schedule itself is present (then the schedule is re-validated and re-anchored). */
    public boolean touchesSchedule() {
        return scheduledType != null || dayInterval != null || weekList != null || monthList != null
                || dateList != null || scheduledDate != null || scheduledTime != null || expireTime != null
                || lifeCycleType != null || timeZone != null;
    }
}
