package io.deskfleet.controlplane.execution;

import io.deskfleet.controlplane.agentlink.AgentGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Carries out what a task's state machine decided, for every processor: queues the closed records and the task's
 * new state, sends the dispatched steps and the kills; and settles a step that a result, a deadline or a stop ended.
 * Runs on the engine's loop.
 */
final class ProgressApplier {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressApplier.class);

    private final EngineState state;
    private final RecordWriter writer;
    private final AgentGateway gateway;
    private final CommandMessages messages;
    private final Deadlines deadlines;
    private final ExecutionMetrics metrics;
    private final PowerAroundRun power;

    ProgressApplier(EngineState state, RecordWriter writer, AgentGateway gateway, CommandMessages messages,
                    Deadlines deadlines, ExecutionMetrics metrics, PowerAroundRun power) {
        this.state = state;
        this.writer = writer;
        this.gateway = gateway;
        this.messages = messages;
        this.deadlines = deadlines;
        this.metrics = metrics;
        this.power = power;
    }

    /** Applies a progress update: closes, dispatches and kills, then queues the task's new state. */
    CompletableFuture<Void> apply(RunningTask running, ProgressUpdate update) {
        String taskId = running.id();
        Instant now = deadlines.now();
        for (ClosedSteps closed : update.closed()) {
            writer.submit(new RecordChange.Closed(taskId, closed.desktopIds(), closed.status(), closed.reason(), now));
        }
        for (Dispatch dispatch : update.dispatches()) {
            dispatch(running, dispatch);
        }
        for (String desktopId : update.kills()) {
            kill(running, desktopId);
        }
        writer.submit(new RecordChange.TaskState(taskId, update.status(), update.counts(),
                update.finished() ? now : null));
        if (update.halted()) {
            metrics.rolloutHalted();
        }
        if (update.finished()) {
            state.finished(running);
            LOG.info("task={} status={} success={} failed={} skipped={}", taskId, update.status(),
                    update.counts().successNum(), update.counts().failedNum(), update.counts().skipNum());
        }
        return writer.barrier();
    }

    /**
     * Settles a step: its command is no longer in flight, its outcome is queued and fed to the task's state machine.
     *
     * @param reported the agent reported this outcome; otherwise a deadline or a stop decided it, provisionally
     * @return completes once the outcome and what it changed are committed
     */
    CompletableFuture<Void> finish(InflightCommand command, StepOutcome outcome, String output, boolean truncated,
                                   Instant startedAt, Instant endedAt, boolean reported) {
        state.forget(command);
        writer.submit(new RecordChange.Finished(command.task.id(), command.recordId, command.recordKey, outcome, output, truncated,
                startedAt, endedAt, command.started, !reported));
        RunningTask running = command.task;
        if (!reported) {
            state.remember(running, command.desktopId, command.step);
        }
        CompletableFuture<Void> stored = apply(running,
                running.progress.onStepFinished(command.desktopId, command.step, outcome.status()));
        power.afterDesktopFinished(running, command.desktopId, stored);
        return stored;
    }

    /** Settles a step the agent said nothing about: a deadline or a stop decided its outcome at {@code at}. */
    void decide(InflightCommand command, StepOutcome outcome, Instant at) {
        finish(command, outcome, null, false, null, at, false);
    }

    private void dispatch(RunningTask running, Dispatch dispatch) {
        InflightCommand command = new InflightCommand(running, dispatch.desktopId(), dispatch.step(),
                deadlines.delivery());
        state.track(command);
        if (dispatch.step() == 0) {
            power.beforeFirstStep(running, dispatch.desktopId());
        }
        command.sent = gateway.send(dispatch.desktopId(), messages.run(command));
    }

    private void kill(RunningTask running, String desktopId) {
        String recordId = running.recordId(desktopId, running.progress.currentStep(desktopId));
        InflightCommand command = state.inflight(recordId);
        if (command == null) {
            return;
        }
        if (!command.sent && !command.maybeDelivered) {
            // Never reached the desktop: nothing to kill, it simply never runs.
            decide(command, StepOutcome.stopped(), deadlines.now());
            return;
        }
        command.cancelRequested = true;
        gateway.send(desktopId, CommandMessages.cancel(recordId));
    }
}
