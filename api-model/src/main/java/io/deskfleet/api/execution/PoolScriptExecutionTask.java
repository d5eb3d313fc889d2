package io.deskfleet.api.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deskfleet.api.script.ScriptType;

import java.util.List;

/**
 * One entry of GET /v2/{project_id}/desktop-pools/script-execution-tasks/detail. scripts is empty and
 * command_content/command_type set for a COMMAND task.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PoolScriptExecutionTask(String id, String desktopPoolId, String desktopPoolName, List<TaskScript> scripts,
                                      String commandContent, ScriptType commandType, String startTime,
                                      String endTime, TaskStatus status, int successNum, int failedNum,
                                      int skipNum) {
}
