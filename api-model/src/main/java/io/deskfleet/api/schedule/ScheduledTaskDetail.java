package io.deskfleet.api.schedule;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/** GET /v2/{project_id}/scheduled-tasks/{task_id}: every field of the modify page plus the list fields. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ScheduledTaskDetail(String id, String taskName, String taskType, String scheduledType,
                                  Integer dayInterval, String weekList, String monthList, String dateList,
                                  String scheduledDate, String scheduledTime, String expireTime,
                                  String lifeCycleType, String timeZone, Integer grayCount,
                                  List<String> grayDesktopIds, Integer grayFailThreshold, boolean isGray,
                                  boolean forceExecute, String description, boolean enable, String extraParams,
                                  List<ApplyObjectBody> applyObjects, int priority, int waitTime,
                                  String lastStatus, String nextExecutionTime) {
}
