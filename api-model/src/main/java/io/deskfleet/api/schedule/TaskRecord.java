package io.deskfleet.api.schedule;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** One fire of a scheduled task (GET .../scheduled-tasks/{task_id}/records). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TaskRecord(String id, String startTime, String taskType, String scheduledType, String lifeCycleType,
                         String status, int successNum, int failedNum, int skipNum, String timeZone,
                         String executeTaskId, String executeObjectType, String expireTime, String extraParams) {
}
