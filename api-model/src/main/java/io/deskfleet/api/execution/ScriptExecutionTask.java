package io.deskfleet.api.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/** One entry of GET /v2/{project_id}/script-execution-tasks. Times are ISO-8601 UTC. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScriptExecutionTask(String id, List<TaskScript> taskScripts, String resourceType,
                                  List<String> resourceIds, List<String> grayResourceIds, int successNum,
                                  int failedNum, int skipNum, String startTime, String endTime, TaskStatus status) {
}
