package io.deskfleet.controlplane.execution;

import io.deskfleet.controlplane.agentlink.AgentGateway;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The timed event: ends every command in flight whose deadline has passed on the engine's clock. One not started
 * within the delivery window ends UNDELIVERABLE if no stream ever took it, UNKNOWN if one may have; one started but
 * without a result within its execution timeout plus the result grace ends TIMEOUT; a stopped one ends CANCELLED.
 * So every invocation ends within delivery window + execution timeout + grace. Each such outcome is provisional:
 * the agent's result, should it come later, replaces it (see {@link ResultProcessor}). Runs on the engine's loop.
 */
final class DeadlineSweep {
    /** How often the sweep is queued: a deadline is noticed at most this late. */
    static final Duration PERIOD = Duration.ofMillis(250);

    private final EngineState state;
    private final ProgressApplier applier;
    private final AgentGateway gateway;
    private final Deadlines deadlines;
    private final TaskOwnership ownership;

    DeadlineSweep(EngineState state, ProgressApplier applier, AgentGateway gateway, Deadlines deadlines,
                  TaskOwnership ownership) {
        this.ownership = ownership;
        this.state = state;
        this.applier = applier;
        this.gateway = gateway;
        this.deadlines = deadlines;
    }

    void sweep() {
        Instant now = deadlines.now();
        List<InflightCommand> undelivered = new ArrayList<>();
        List<InflightCommand> silent = new ArrayList<>();
        for (InflightCommand command : state.inflight()) {
            if (!ownership.holds(command.task.id())) {
                // replicas: a lease this replica may have lost (paused past it) is not acted on; the next renewal
                // or the fenced write tells the engine to drop the task
                continue;
            }
            if (!command.started && now.isAfter(command.deliveryDeadline)) {
                undelivered.add(command);
            } else if (command.started && command.resultDeadline != null && now.isAfter(command.resultDeadline)) {
                silent.add(command);
            }
        }
        for (InflightCommand command : undelivered) {
            boolean mayHaveReached = command.sent || command.maybeDelivered;
            if (mayHaveReached) {
                // It may still be queued on a stream that stalled: make sure it never starts late.
                gateway.send(command.desktopId, CommandMessages.cancel(command.recordId));
            }
            applier.decide(command, command.cancelRequested ? StepOutcome.stopped()
                    : mayHaveReached ? StepOutcome.unknown(deadlines.deliveryWindow())
                    : StepOutcome.undeliverable(deadlines.deliveryWindow()), now);
        }
        for (InflightCommand command : silent) {
            applier.decide(command, command.cancelRequested ? StepOutcome.stopped() : StepOutcome.noResult(), now);
        }
    }
}
