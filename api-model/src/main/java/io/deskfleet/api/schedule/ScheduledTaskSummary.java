package io.deskfleet.api.schedule;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** One element of GET /v2/{project_id}/scheduled-tasks; times are {@code yyyy-MM-dd HH:mm:ss} in time_zone. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ScheduledTaskSummary(String id, String taskName, String taskType, String scheduledType,
                                   String lifeCycleType, String lastStatus, String nextExecutionTime,
                                   String expireTime, boolean enable, String description, int priority,
                                   String timeZone, int waitTime, String extraParams) {
}
