package io.deskfleet.controlplane.execution;

import io.deskfleet.agent.v1.InvocationStarted;

import java.time.Instant;

/**
 * An agent's InvocationStarted: the desktop runs the command, so its delivery deadline no longer holds and its result
 * deadline does. Only the desktop's own first report counts. Runs on the engine's loop.
 */
final class StartedProcessor {
    private final EngineState state;
    private final RecordWriter writer;
    private final Deadlines deadlines;

    StartedProcessor(EngineState state, RecordWriter writer, Deadlines deadlines) {
        this.state = state;
        this.writer = writer;
        this.deadlines = deadlines;
    }

    void onStarted(String desktopId, InvocationStarted started) {
        InflightCommand command = state.inflight(started.getInvocationId());
        if (command == null || !command.desktopId.equals(desktopId) || command.started) {
            return;
        }
        command.started(Instant.ofEpochMilli(started.getStartedAtUnixMs()),
                deadlines.result(command.task, deadlines.now()));
        writer.submit(new RecordChange.Started(command.task.id(), command.recordId, command.recordKey, command.startedAt));
    }
}
