package io.deskfleet.api.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Response of the execution and retry endpoints (and of scheduled-task creation, which has no offline count).
 * offline_target_count (ours): how many target desktops had no agent connected when the task was planned; a gray
 * batch chosen by gray_count takes online desktops first.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskIdResponse(String taskId, Integer offlineTargetCount) {

    /** An id alone, where no desktops were planned (a scheduled task's creation). */
    public TaskIdResponse(String taskId) {
        this(taskId, null);
    }
}
