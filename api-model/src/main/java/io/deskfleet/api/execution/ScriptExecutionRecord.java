package io.deskfleet.api.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One entry of GET /v2/{project_id}/script-execution-records: one script on one desktop. execute_order is 0 (no
 * gray batch), 1 (gray) or 2 (non-gray). script_id and script_name are null for a COMMAND task. late_result (ours) is
 * true only when the agent's result arrived after a deadline of the control plane had ended the record, and replaced
 * that provisional status; it is absent otherwise.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScriptExecutionRecord(String id, String scriptId, String scriptName, String scriptTaskId,
                                    String resourceId, String resourceName, String resourceType, String startTime,
                                    String endTime, RecordStatus status, int executeOrder, String resultCode,
                                    String reason, Boolean lateResult) {
}
