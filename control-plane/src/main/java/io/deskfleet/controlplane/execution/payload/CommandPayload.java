package io.deskfleet.controlplane.execution.payload;

import io.deskfleet.api.execution.ExecutionPayload;
import io.deskfleet.api.execution.TaskType;
import io.deskfleet.controlplane.execution.TaskStep;
import jakarta.inject.Singleton;

import java.util.List;

/** One inline command (command_content and command_type): a single step with no script behind it. */
@Singleton
public class CommandPayload implements PayloadKind<ExecutionPayload.Command> {

    @Override
    public Class<ExecutionPayload.Command> payloadType() {
        return ExecutionPayload.Command.class;
    }

    @Override
    public TaskType taskType() {
        return TaskType.COMMAND;
    }

    @Override
    public List<TaskStep> steps(String projectId, ExecutionPayload.Command command) {
        return List.of(new TaskStep(0, null, null, command.type(), command.content()));
    }

    @Override
    public Shown shown(List<TaskStep> steps) {
        // A task stored without steps has nothing to show as its command; list it as scripts, which is empty.
        return steps.isEmpty() ? Shown.scripts(steps) : Shown.command(steps.get(0));
    }
}
