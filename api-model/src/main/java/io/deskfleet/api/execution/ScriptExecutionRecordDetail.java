package io.deskfleet.api.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Response of GET /v2/{project_id}/script-execution-records/{record_id}: the record plus the captured output.
 * exit_code (ours) is present only when the process ran and exited; late_result (ours) as in
 * {@link ScriptExecutionRecord}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScriptExecutionRecordDetail(String id, String scriptId, String scriptName, String scriptTaskId,
                                          String resourceId, String resourceName, String resourceType,
                                          String startTime, String endTime, RecordStatus status, int executeOrder,
                                          String resultCode, String reason, String output, Boolean outputTruncated,
                                          Integer exitCode, Boolean lateResult) {
}
