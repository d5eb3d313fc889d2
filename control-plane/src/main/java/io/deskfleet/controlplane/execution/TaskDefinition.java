package io.deskfleet.controlplane.execution;

import io.deskfleet.api.execution.PostFinish;
import io.deskfleet.api.execution.PreStart;
import io.deskfleet.api.execution.TaskType;

import java.util.List;

/** Everything the engine needs to run a task, fixed when the task is created. */
public record TaskDefinition(String id, String projectId, String poolId, TaskType taskType, List<TaskStep> steps,
                             int executionTimeoutMinutes, PreStart preStart, PostFinish postFinish,
                             RecordIds recordIds) {

    public TaskDefinition {
        steps = List.copyOf(steps);
    }

    /** The id of this task's record for one desktop and step, numbered key: also the invocation id its agent sees. */
    public String recordId(String desktopId, int step, long key) {
        return recordIds.of(id, desktopId, step, key);
    }
}
