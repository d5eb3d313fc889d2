package io.deskfleet.api.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deskfleet.api.script.ScriptType;

import java.util.List;

/**
 * One entry of GET /v2/{project_id}/script-execution-tasks. Times are ISO-8601 UTC. The fields after status are ours
 * (issue 26, docs/contract-notes.md "Task list: who, what, where"), absent when they have no value: created_by (the
 * user who started or retried it, {@code system} for a scheduled fire), desktop_pool_id and desktop_pool_name (a
 * task started on a pool), desktop_tag (a task started by tag), command_content and command_type (an inline
 * command), resource_names (the desktops' names, in resource_ids' order) and retry_of (the task it retries).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScriptExecutionTask(String id, List<TaskScript> taskScripts, String resourceType,
                                  List<String> resourceIds, List<String> grayResourceIds, int successNum,
                                  int failedNum, int skipNum, String startTime, String endTime, TaskStatus status,
                                  String createdBy, String desktopPoolId, String desktopPoolName, String desktopTag,
                                  String commandContent, ScriptType commandType, List<String> resourceNames,
                                  String retryOf) {

    /** A task with the contract's fields only (clients' tests build these). */
    public ScriptExecutionTask(String id, List<TaskScript> taskScripts, String resourceType, List<String> resourceIds,
                               List<String> grayResourceIds, int successNum, int failedNum, int skipNum,
                               String startTime, String endTime, TaskStatus status) {
        this(id, taskScripts, resourceType, resourceIds, grayResourceIds, successNum, failedNum, skipNum, startTime,
                endTime, status, null, null, null, null, null, null, null, null);
    }
}
