package io.deskfleet.controlplane.execution;

import io.deskfleet.agent.v1.Hello;
import io.deskfleet.controlplane.agentlink.AgentGateway;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An agent's Hello on a new stream: every command in flight on that desktop is sent again (or its cancel, once
 * stopped), and one the Hello says is running counts as started. Runs on the engine's loop.
 */
final class ReconnectProcessor {
    private final EngineState state;
    private final RecordWriter writer;
    private final AgentGateway gateway;
    private final CommandMessages messages;
    private final Deadlines deadlines;

    ReconnectProcessor(EngineState state, RecordWriter writer, AgentGateway gateway, CommandMessages messages,
                       Deadlines deadlines) {
        this.state = state;
        this.writer = writer;
        this.gateway = gateway;
        this.messages = messages;
        this.deadlines = deadlines;
    }

    void onConnected(String desktopId, Hello hello) {
        Set<String> ids = state.inflightOn(desktopId);
        if (ids == null) {
            return;
        }
        Set<String> running = new HashSet<>(hello.getRunningInvocationIdsList());
        for (String id : List.copyOf(ids)) {
            InflightCommand command = state.inflight(id);
            if (running.contains(id) && !command.started) {
                // Its InvocationStarted was lost with the previous stream: started now, and from now on the
                // result deadline holds, or the record would wait for ever should the agent never report.
                Instant now = deadlines.now();
                command.started(now, deadlines.result(command.task, now));
                writer.submit(new RecordChange.Started(command.task.id(), command.recordId, command.recordKey, command.startedAt));
            }
            // The agent runs an invocation id at most once, so re-sending what it may have missed is safe.
            command.sent = gateway.send(desktopId, messages.current(command));
        }
    }
}
