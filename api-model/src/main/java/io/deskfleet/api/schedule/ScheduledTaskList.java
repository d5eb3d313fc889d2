package io.deskfleet.api.schedule;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ScheduledTaskList(long totalCount, List<ScheduledTaskSummary> scheduledTasks) {
}
