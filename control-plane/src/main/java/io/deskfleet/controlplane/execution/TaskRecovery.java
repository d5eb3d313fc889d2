package io.deskfleet.controlplane.execution;

import io.deskfleet.controlplane.inventory.TargetResolver;
import io.deskfleet.controlplane.inventory.TargetDesktop;
import io.deskfleet.api.execution.ExecutionTarget;
import io.deskfleet.api.execution.RecordStatus;
import io.deskfleet.api.execution.TaskStatus;
import io.deskfleet.controlplane.agentlink.AgentGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The engine's first event: resumes every task a previous process left unfinished. Each task's progress is rebuilt
 * by replaying its stored outcomes in order (batch, desktop, step): the state machine is deterministic, so it
 * reaches the state it had. Closures and the task state are written again (idempotent), and every desktop still
 * running is re-attached: its command is re-sent under the same invocation id when the agent connects, so a command
 * the agent already ran is answered from its spool and never run twice. Runs on the engine's loop.
 */
final class TaskRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRecovery.class);

    private final EngineState state;
    private final ExecutionQueries queries;
    private final TargetResolver targetResolver;
    private final RecordWriter writer;
    private final AgentGateway gateway;
    private final CommandMessages messages;
    private final Deadlines deadlines;

    TaskRecovery(EngineState state, ExecutionQueries queries, TargetResolver targetResolver, RecordWriter writer,
                 AgentGateway gateway, CommandMessages messages, Deadlines deadlines) {
        this.state = state;
        this.queries = queries;
        this.targetResolver = targetResolver;
        this.writer = writer;
        this.gateway = gateway;
        this.messages = messages;
        this.deadlines = deadlines;
    }

    void recoverAll() {
        for (ExecutionQueries.StoredTask stored : queries.unfinishedTasks()) {
            try {
                recover(stored);
            } catch (RuntimeException e) {
                LOG.error("task={} could not be resumed", stored.id(), e);
            }
        }
    }

    /** Runs a task another replica ran (its lease was taken over): resumed from the database like after a restart. */
    void adopt(String taskId) {
        if (state.task(taskId) != null) {
            return;
        }
        try {
            queries.unfinishedTask(taskId).ifPresent(this::recover);
        } catch (RuntimeException e) {
            LOG.error("task={} could not be taken over", taskId, e);
        }
    }

    /** Starts a stored task that waited for its approval, the way a restart resumes one. */
    void resume(String projectId, String taskId) {
        try {
            recover(queries.requireTask(projectId, taskId));
        } catch (RuntimeException e) {
            LOG.error("task={} could not be started after its approval", taskId, e);
        }
    }

    private void recover(ExecutionQueries.StoredTask stored) {
        List<ExecutionQueries.StoredRecord> records = queries.recordsOf(stored.id());
        List<TaskStep> steps = queries.steps(stored.id());
        TaskDefinition definition = new TaskDefinition(stored.id(), stored.projectId(), stored.poolId(),
                stored.taskType(), steps, stored.executionTimeoutMinutes(), stored.preStart(), stored.postFinish(),
                stored.recordIds());
        TreeMap<Integer, List<String>> batches = new TreeMap<>();
        Map<Integer, ExecuteOrder> orders = new HashMap<>();
        Map<Long, ExecutionQueries.StoredRecord> byKey = new HashMap<>();
        Map<String, Long> firstKeys = new HashMap<>();
        for (ExecutionQueries.StoredRecord record : records) {
            byKey.put(record.key(), record);
            if (record.step() == 0) {
                firstKeys.put(record.desktopId(), record.key());
                batches.computeIfAbsent(record.batchIndex(), b -> new ArrayList<>()).add(record.desktopId());
                orders.put(record.batchIndex(), ExecuteOrder.of(record.executeOrder()));
            }
        }
        List<RolloutPlan.Batch> planBatches = new ArrayList<>();
        batches.forEach((index, ids) -> planBatches.add(new RolloutPlan.Batch(orders.get(index), ids)));
        int targetCount = batches.values().stream().mapToInt(List::size).sum();
        RolloutPlan plan = new RolloutPlan(targetCount, stored.grayFailThreshold(), planBatches);
        Map<String, TargetDesktop> targets = new HashMap<>();
        targetResolver.resolve(stored.projectId(), new ExecutionTarget.Desktops(
                batches.values().stream().flatMap(List::stream).toList())).forEach(d -> targets.put(d.id(), d));
        RunningTask running = new RunningTask(definition, new TaskProgress(plan, steps.size()), targets,
                RecordKeys.stored(firstKeys));

        List<ClosedSteps> closures = replay(running, stored, records);
        Instant now = deadlines.now();
        for (ClosedSteps closed : closures) {
            writer.submit(new RecordChange.Closed(stored.id(), closed.desktopIds(), closed.status(), closed.reason(),
                    now));
        }
        int reattached = 0;
        if (!running.progress.isFinished()) {
            state.run(running);
            for (ExecutionQueries.StoredRecord record : records) {
                if (record.provisional()) {
                    state.remember(running, record.desktopId(), record.step());
                }
            }
            boolean stopped = stored.status() == TaskStatus.CANCELLED;
            for (List<String> batch : batches.values()) {
                for (String desktopId : batch) {
                    if (running.progress.desktopStatus(desktopId) == RecordStatus.RUNNING) {
                        int step = running.progress.currentStep(desktopId);
                        reattach(running, desktopId, step, byKey.get(running.keys.of(desktopId, step)), stopped);
                        reattached++;
                    }
                }
            }
        }
        writer.submit(new RecordChange.TaskState(stored.id(), running.progress.status(), running.progress.counts(),
                running.progress.isFinished() ? now : null));
        LOG.info("task={} resumed status={} in_flight={}", stored.id(), running.progress.status(), reattached);
    }

    /** Feeds the stored outcomes to the rebuilt state machine; returns the closures it decided on the way. */
    private static List<ClosedSteps> replay(RunningTask running, ExecutionQueries.StoredTask stored,
                                            List<ExecutionQueries.StoredRecord> records) {
        running.progress.start(); // dispatches only; the stored records say what became of them
        List<ClosedSteps> closures = new ArrayList<>();
        for (ExecutionQueries.StoredRecord record : records) {
            RecordStatus status = record.status();
            if (status.isTerminal() && status != RecordStatus.SKIPPED) {
                closures.addAll(running.progress.onStepFinished(record.desktopId(), record.step(), status).closed());
            }
        }
        if (stored.status() == TaskStatus.CANCELLED && !running.progress.isFinished()) {
            closures.addAll(running.progress.stop().closed());
        }
        return closures;
    }

    /** Re-attaches a desktop that was running a step: re-sent (or, for a stopped task, cancelled) on connect. */
    private void reattach(RunningTask running, String desktopId, int step, ExecutionQueries.StoredRecord record,
                          boolean stopped) {
        InflightCommand command = new InflightCommand(running, desktopId, step, deadlines.delivery());
        command.cancelRequested = stopped;
        command.maybeDelivered = true;
        if (record != null && record.status() == RecordStatus.RUNNING) {
            command.started(record.startTime(), deadlines.result(running, deadlines.now()));
        }
        state.track(command);
        command.sent = gateway.send(desktopId, messages.current(command));
    }
}
