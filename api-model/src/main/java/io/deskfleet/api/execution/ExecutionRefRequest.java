package io.deskfleet.api.execution;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.validation.Fields;

/** Body of POST /v2/{project_id}/script-executions/stop and /retry: exactly one of task_id and record_id. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ExecutionRefRequest(String taskId, String recordId) {

    public ExecutionRef validate() {
        if ((taskId == null) == (recordId == null)) {
            throw ApiException.invalid("task_id: exactly one of task_id and record_id is required");
        }
        return taskId != null
                ? new ExecutionRef(ExecutionRef.Kind.TASK, Fields.requiredText("task_id", taskId, Fields.MAX_ID_LENGTH))
                : new ExecutionRef(ExecutionRef.Kind.RECORD,
                        Fields.requiredText("record_id", recordId, Fields.MAX_ID_LENGTH));
    }
}
