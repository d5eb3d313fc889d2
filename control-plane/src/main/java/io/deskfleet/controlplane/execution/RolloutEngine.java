package io.deskfleet.controlplane.execution;

import io.deskfleet.agent.v1.CancelCommand;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.Hello;
import io.deskfleet.agent.v1.Interpreter;
import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.InvocationStarted;
import io.deskfleet.agent.v1.PowerAction;
import io.deskfleet.agent.v1.PowerActionType;
import io.deskfleet.agent.v1.RunCommand;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.execution.ExecutionTarget;
import io.deskfleet.api.execution.PostFinish;
import io.deskfleet.api.execution.PreStart;
import io.deskfleet.api.execution.RecordStatus;
import io.deskfleet.api.execution.TaskStatus;
import io.deskfleet.api.script.ScriptType;
import io.deskfleet.controlplane.agentlink.AgentEventListener;
import io.deskfleet.controlplane.agentlink.AgentGateway;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs execution tasks: dispatches each task's batches to the agents, turns agent events into record changes and
 * feeds them to the task's {@link TaskProgress}.
 *
 * <p>All state lives on one event-loop thread, so no task state is ever shared between threads and each event is
 * O(1) (or O(batch) when a batch starts): there is no thread per desktop, task or stream. Changes go to the
 * {@link RecordWriter}; a result is acknowledged to the agent only once its change is committed.
 *
 * <p>Deadlines: a command not started by its desktop within the delivery window ends UNDELIVERABLE if no stream
 * ever took it, UNKNOWN if one may have; one started but without a result within its execution timeout plus a grace
 * period ends TIMEOUT. So every invocation ends within delivery window + execution timeout + grace. An outcome a
 * deadline decided is provisional: the agent's result, should it come later, replaces it (see
 * {@link TaskProgress#onLateResult}), so a result an agent reports is never thrown away.
 *
 * <p>Created at startup: its first act, queued before any agent event can be, is to resume the tasks a previous
 * process left unfinished (see {@link #recover()}).
 */
@Context
public class RolloutEngine implements AgentEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutEngine.class);
    static final int MAX_OUTPUT_CHARS = 64 * 1024;

    private final AgentGateway gateway;
    private final RecordWriter writer;
    private final ExecutionQueries queries;
    private final ExecutionStore store;
    private final ExecutionMetrics metrics;
    private final Duration deliveryWindow;
    /** Time beyond the execution timeout for the agent's own kill and its result to arrive. */
    private final Duration resultGrace;
    private final Clock clock;
    private final ExecutorService loop;
    private final ScheduledExecutorService ticker;
    /** RunCommand.full_output_max_bytes: the agent keeps and streams this much output (output.OutputWriter). */
    private final long fullOutputBytes;

    private final Map<String, RunningTask> tasks = new HashMap<>();
    private final Map<String, Inflight> inflight = new HashMap<>();
    private final Map<String, Set<String>> inflightByDesktop = new HashMap<>();
    /** Records of running tasks whose outcome a deadline decided, by record id, until their task finishes. */
    private final Map<String, Provisional> provisional = new HashMap<>();

    public RolloutEngine(AgentGateway gateway, RecordWriter writer, ExecutionQueries queries, ExecutionStore store,
                         ExecutionMetrics metrics,
                         @Value("${deskfleet.execution.delivery-window:60s}") Duration deliveryWindow,
                         @Value("${deskfleet.execution.result-grace:30s}") Duration resultGrace,
                         @Value("${deskfleet.output.max-bytes-per-record}") long fullOutputBytes) {
        this.gateway = gateway;
        this.writer = writer;
        this.queries = queries;
        this.store = store;
        this.metrics = metrics;
        this.deliveryWindow = deliveryWindow;
        this.resultGrace = resultGrace;
        this.fullOutputBytes = fullOutputBytes;
        this.clock = Clock.systemUTC();
        this.loop = Executors.newSingleThreadExecutor(r -> daemon(r, "rollout-engine"));
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "rollout-deadlines"));
        ticker.scheduleWithFixedDelay(() -> loop.execute(this::expireDeadlines), 250, 250, TimeUnit.MILLISECONDS);
        loop.execute(this::recover);
    }

    /**
     * Resumes every task left unfinished by a previous process. Each task's progress is rebuilt by replaying its
     * stored outcomes in order (batch, desktop, step): the state machine is deterministic, so it reaches the state
     * it had. Closures and the task state are written again (idempotent), and every desktop still running is
     * re-attached: its command is re-sent under the same invocation id when the agent connects, so a command the
     * agent already ran is answered from its spool and never run twice.
     */
    private void recover() {
        for (ExecutionQueries.StoredTask stored : queries.unfinishedTasks()) {
            try {
                recover(stored);
            } catch (RuntimeException e) {
                LOG.error("task={} could not be resumed", stored.id(), e);
            }
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
        store.resolve(stored.projectId(), new ExecutionTarget.Desktops(
                batches.values().stream().flatMap(List::stream).toList())).forEach(d -> targets.put(d.id(), d));
        RunningTask running = new RunningTask(definition, new TaskProgress(plan, steps.size()), targets,
                RecordKeys.stored(firstKeys));

        ProgressUpdate update = running.progress.start();
        List<ClosedSteps> closures = new ArrayList<>();
        for (ExecutionQueries.StoredRecord record : records) {
            RecordStatus status = record.status();
            if (status.isTerminal() && status != RecordStatus.SKIPPED) {
                update = running.progress.onStepFinished(record.desktopId(), record.step(), status);
                closures.addAll(update.closed());
            }
        }
        if (stored.status() == TaskStatus.CANCELLED && !running.progress.isFinished()) {
            update = running.progress.stop();
            closures.addAll(update.closed());
        }
        Instant now = now();
        for (ClosedSteps closed : closures) {
            writer.submit(new RecordChange.Closed(stored.id(), closed.desktopIds(), closed.status(), closed.reason(),
                    now));
        }
        int reattached = 0;
        if (!running.progress.isFinished()) {
            tasks.put(stored.id(), running);
            for (ExecutionQueries.StoredRecord record : records) {
                if (record.provisional()) {
                    remember(running, record.desktopId(), record.step());
                }
            }
            boolean stopped = stored.status() == TaskStatus.CANCELLED;
            for (List<String> batch : batches.values()) {
                for (String desktopId : batch) {
                    if (running.progress.desktopStatus(desktopId) == RecordStatus.RUNNING) {
                        int step = running.progress.currentStep(desktopId);
                        reattach(running, desktopId, step,
                                byKey.get(running.keys.of(desktopId, step)), stopped);
                        reattached++;
                    }
                }
            }
        }
        writer.submit(new RecordChange.TaskState(stored.id(), running.progress.status(), running.progress.counts(),
                running.progress.isFinished() ? now : null));
        LOG.info("task={} resumed status={} in_flight={}", stored.id(), running.progress.status(), reattached);
    }

    /** Re-attaches a desktop that was running a step: re-sent (or, for a stopped task, cancelled) on connect. */
    private void reattach(RunningTask running, String desktopId, int step, ExecutionQueries.StoredRecord record,
                          boolean stopped) {
        Inflight command = new Inflight(running, desktopId, step, now().plus(deliveryWindow));
        command.cancelRequested = stopped;
        command.maybeDelivered = true;
        if (record != null && record.status() == RecordStatus.RUNNING) {
            command.started = true;
            command.startedAt = record.startTime();
            command.resultDeadline = now().plus(command.timeout()).plus(resultGrace);
        }
        inflight.put(command.recordId, command);
        inflightByDesktop.computeIfAbsent(desktopId, d -> new LinkedHashSet<>()).add(command.recordId);
        command.sent = gateway.send(desktopId, stopped ? cancelCommand(command.recordId) : runCommand(command));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts a stored task: its first batch is dispatched. */
    public void start(TaskDefinition task, RolloutPlan plan, Map<String, TargetDesktop> targets, RecordKeys keys) {
        long accepted = System.nanoTime();
        loop.execute(() -> {
            RunningTask running = new RunningTask(task, new TaskProgress(plan, task.steps().size()), targets, keys);
            tasks.put(task.id(), running);
            apply(running, running.progress.start());
            metrics.firstBatchSent(accepted);
        });
    }

    /**
     * Stops a running task, or one desktop's run of it when desktopId is given.
     *
     * @return false when the engine does not run that task (it has finished)
     * @throws ApiException 409 from {@link TaskProgress} when it is already over
     */
    public boolean stop(String taskId, String desktopId) {
        CompletableFuture<Void> stored = call(() -> {
            RunningTask running = tasks.get(taskId);
            if (running == null) {
                return null;
            }
            return apply(running, desktopId == null ? running.progress.stop() : running.progress.cancelDesktop(desktopId));
        });
        if (stored == null) {
            return false;
        }
        // Answered once the cancelled records and the task's state are stored: a stop that was acknowledged must
        // survive a restart, and a read right after it must show it.
        await(stored, "the stop was not stored");
        return true;
    }

    @Override
    public void onConnected(String desktopId, Hello hello) {
        loop.execute(() -> {
            Set<String> ids = inflightByDesktop.get(desktopId);
            if (ids == null) {
                return;
            }
            Set<String> running = new HashSet<>(hello.getRunningInvocationIdsList());
            for (String id : List.copyOf(ids)) {
                Inflight command = inflight.get(id);
                if (running.contains(id) && !command.started) {
                    // Its InvocationStarted was lost with the previous stream: started now, and from now on the
                    // result deadline holds, or the record would wait for ever should the agent never report.
                    command.started = true;
                    command.startedAt = now();
                    command.resultDeadline = command.startedAt.plus(command.timeout()).plus(resultGrace);
                    writer.submit(new RecordChange.Started(command.recordId, command.recordKey, command.startedAt));
                }
                // The agent runs an invocation id at most once, so re-sending what it may have missed is safe.
                command.sent = gateway.send(desktopId,
                        command.cancelRequested ? cancelCommand(command.recordId) : runCommand(command));
            }
        });
    }

    @Override
    public void onStarted(String desktopId, InvocationStarted started) {
        loop.execute(() -> {
            Inflight command = inflight.get(started.getInvocationId());
            if (command == null || !command.desktopId.equals(desktopId) || command.started) {
                return;
            }
            command.started = true;
            command.startedAt = Instant.ofEpochMilli(started.getStartedAtUnixMs());
            command.resultDeadline = now().plus(command.timeout()).plus(resultGrace);
            writer.submit(new RecordChange.Started(command.recordId, command.recordKey, command.startedAt));
        });
    }

    @Override
    public CompletionStage<Void> onResult(String desktopId, InvocationResult result) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        loop.execute(() -> {
            Inflight command = inflight.get(result.getInvocationId());
            if (command == null) {
                late(desktopId, result).whenComplete((v, e) -> stored.complete(null));
                return;
            }
            if (!command.desktopId.equals(desktopId)) {
                LOG.warn("desktop={} reported invocation={} of desktop={}; ignored", desktopId, command.recordId,
                        command.desktopId);
                stored.complete(null);
                return;
            }
            String output = output(result);
            Instant startedAt = result.getStartedAtUnixMs() > 0 ? Instant.ofEpochMilli(result.getStartedAtUnixMs())
                    : command.startedAt;
            StepOutcome outcome = StepOutcome.of(result, command.task.definition.executionTimeoutMinutes());
            finish(command, outcome, output, truncated(result, output), startedAt, endedAt(result), true)
                    .whenComplete((v, e) -> stored.complete(null));
        });
        return stored;
    }

    /**
     * A result for an invocation no longer in flight. If a deadline decided its record, the result replaces that
     * provisional outcome and the task's counts follow: here, if the engine still runs the task, otherwise by a
     * recount in the writer. A copy of a result already recorded (resent after a reconnect), or an id that is not
     * this desktop's, changes nothing. Either way the future completes once the writes queued before it are
     * committed, so the agent is acknowledged and stops resending.
     */
    private CompletableFuture<Void> late(String desktopId, InvocationResult result) {
        String id = result.getInvocationId();
        Provisional decided = provisional.get(id);
        boolean ours = decided != null && decided.desktopId().equals(desktopId);
        String output = output(result);
        StepOutcome outcome = StepOutcome.of(result,
                ours ? decided.task().definition.executionTimeoutMinutes() : 0);
        Instant startedAt = result.getStartedAtUnixMs() > 0 ? Instant.ofEpochMilli(result.getStartedAtUnixMs()) : null;
        writer.submit(new RecordChange.Reported(id, desktopId, outcome, output, truncated(result, output), startedAt,
                endedAt(result), !ours));
        if (!ours) {
            return writer.barrier();
        }
        provisional.remove(id);
        decided.task().provisional.remove(id);
        LOG.info("task={} desktop={} invocation={} late result {} replaces a deadline's outcome",
                decided.task().definition.id(), desktopId, id, outcome.status());
        return apply(decided.task(), decided.task().progress.onLateResult(desktopId, decided.step(),
                outcome.status()));
    }

    private static String output(InvocationResult result) {
        String output = storable(result.getOutput());
        return output.length() > MAX_OUTPUT_CHARS ? output.substring(0, MAX_OUTPUT_CHARS) : output;
    }

    private static boolean truncated(InvocationResult result, String storedOutput) {
        return result.getOutputTruncated() || storedOutput.length() < result.getOutput().length();
    }

    private Instant endedAt(InvocationResult result) {
        return result.getFinishedAtUnixMs() > 0 ? Instant.ofEpochMilli(result.getFinishedAtUnixMs()) : now();
    }

    /** PostgreSQL text cannot hold NUL, which binary output contains: it is shown as U+FFFD instead. */
    static String storable(String text) {
        return text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
    }

    /**
     * @param reported the agent reported this outcome; otherwise a deadline or a stop decided it, provisionally
     */
    private CompletableFuture<Void> finish(Inflight command, StepOutcome outcome, String output, boolean truncated,
                                           Instant startedAt, Instant endedAt, boolean reported) {
        forget(command);
        writer.submit(new RecordChange.Finished(command.recordId, command.recordKey, outcome, output, truncated,
                startedAt, endedAt, command.started, !reported));
        RunningTask running = command.task;
        if (!reported) {
            remember(running, command.desktopId, command.step);
        }
        CompletableFuture<Void> stored = apply(running,
                running.progress.onStepFinished(command.desktopId, command.step, outcome.status()));
        afterDesktopFinished(running, command.desktopId, stored);
        return stored;
    }

    /** post_finish runs once the desktop's last result is stored, and only for a desktop that ran. */
    private void afterDesktopFinished(RunningTask running, String desktopId, CompletableFuture<Void> stored) {
        PostFinish postFinish = running.definition.postFinish();
        RecordStatus status = running.progress.desktopStatus(desktopId);
        boolean ran = status == RecordStatus.SUCCESS || status == RecordStatus.FAILED || status == RecordStatus.TIMEOUT;
        if (postFinish == PostFinish.NONE || !ran) {
            return;
        }
        PowerActionType action = postFinish == PostFinish.STOP ? PowerActionType.STOP : PowerActionType.REBOOT;
        stored.thenRun(() -> gateway.send(desktopId, powerAction(action)));
    }

    /** Applies a progress update: closes, dispatches and kills, then queues the task's new state. */
    private CompletableFuture<Void> apply(RunningTask running, ProgressUpdate update) {
        String taskId = running.definition.id();
        Instant now = now();
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
            tasks.remove(taskId);
            // From now on a late result of the task is recounted by the writer from the stored records.
            running.provisional.forEach(provisional::remove);
            LOG.info("task={} status={} success={} failed={} skipped={}", taskId, update.status(),
                    update.counts().successNum(), update.counts().failedNum(), update.counts().skipNum());
        }
        return writer.barrier();
    }

    private void dispatch(RunningTask running, Dispatch dispatch) {
        TaskDefinition task = running.definition;
        Inflight command = new Inflight(running, dispatch.desktopId(), dispatch.step(), now().plus(deliveryWindow));
        inflight.put(command.recordId, command);
        inflightByDesktop.computeIfAbsent(command.desktopId, d -> new LinkedHashSet<>()).add(command.recordId);
        if (dispatch.step() == 0 && task.preStart() == PreStart.START
                && running.targets.get(dispatch.desktopId()).isPoweredOff()) {
            // The stream is ordered, so the agent is running again before the command reaches it.
            gateway.send(dispatch.desktopId(), powerAction(PowerActionType.START));
        }
        command.sent = gateway.send(dispatch.desktopId(), runCommand(command));
    }

    private void kill(RunningTask running, String desktopId) {
        String recordId = running.recordId(desktopId, running.progress.currentStep(desktopId));
        Inflight command = inflight.get(recordId);
        if (command == null) {
            return;
        }
        if (!command.sent && !command.maybeDelivered) {
            // Never reached the desktop: nothing to kill, it simply never runs.
            finish(command, stopped(), null, false, null, now(), false);
            return;
        }
        command.cancelRequested = true;
        gateway.send(desktopId, cancelCommand(recordId));
    }

    private static ControlMessage cancelCommand(String invocationId) {
        return ControlMessage.newBuilder().setCancel(CancelCommand.newBuilder().setInvocationId(invocationId)).build();
    }

    private void expireDeadlines() {
        Instant now = now();
        List<Inflight> undelivered = new ArrayList<>();
        List<Inflight> silent = new ArrayList<>();
        for (Inflight command : inflight.values()) {
            if (!command.started && now.isAfter(command.deliveryDeadline)) {
                undelivered.add(command);
            } else if (command.started && command.resultDeadline != null && now.isAfter(command.resultDeadline)) {
                silent.add(command);
            }
        }
        for (Inflight command : undelivered) {
            boolean mayHaveReached = command.sent || command.maybeDelivered;
            if (mayHaveReached) {
                // It may still be queued on a stream that stalled: make sure it never starts late.
                gateway.send(command.desktopId, cancelCommand(command.recordId));
            }
            finish(command, command.cancelRequested ? stopped()
                            : mayHaveReached ? StepOutcome.unknown(deliveryWindow)
                            : StepOutcome.undeliverable(deliveryWindow),
                    null, false, null, now, false);
        }
        for (Inflight command : silent) {
            finish(command, command.cancelRequested ? stopped() : StepOutcome.noResult(), null, false, null, now,
                    false);
        }
    }

    private static StepOutcome stopped() {
        return new StepOutcome(RecordStatus.CANCELLED, "CANCELLED", TaskProgress.REASON_STOPPED, null);
    }

    /** A deadline or a stop decided this step's outcome: the agent's result may still replace it. */
    private void remember(RunningTask running, String desktopId, int step) {
        String recordId = running.recordId(desktopId, step);
        provisional.put(recordId, new Provisional(running, desktopId, step));
        running.provisional.add(recordId);
    }

    private void forget(Inflight command) {
        inflight.remove(command.recordId);
        Set<String> ids = inflightByDesktop.get(command.desktopId);
        if (ids != null) {
            ids.remove(command.recordId);
            if (ids.isEmpty()) {
                inflightByDesktop.remove(command.desktopId);
            }
        }
    }

    private ControlMessage runCommand(Inflight command) {
        TaskStep step = command.task.definition.steps().get(command.step);
        return ControlMessage.newBuilder().setRun(RunCommand.newBuilder()
                .setInvocationId(command.recordId)
                .setInterpreter(interpreter(step.type()))
                .setContent(step.content())
                .setTimeoutSeconds((int) command.timeout().toSeconds())
                .setMaxOutputBytes(MAX_OUTPUT_CHARS)
                .setFullOutputMaxBytes(fullOutputBytes)).build();
    }

    private static ControlMessage powerAction(PowerActionType action) {
        return ControlMessage.newBuilder().setPower(PowerAction.newBuilder()
                .setActionId(UUID.randomUUID().toString()).setAction(action)).build();
    }

    static Interpreter interpreter(ScriptType type) {
        return switch (type) {
            case SHELL -> Interpreter.SHELL;
            case POWERSHELL -> Interpreter.POWERSHELL;
            case BAT -> Interpreter.BAT;
        };
    }

    private Instant now() {
        return clock.instant();
    }

    /** Runs work on the event loop and waits for it, rethrowing what it throws. */
    private <T> T call(Callable<T> work) {
        return await(CompletableFuture.supplyAsync(() -> {
            try {
                return work.call();
            } catch (Exception e) {
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
        }, loop), "rollout engine did not answer");
    }

    private static <T> T await(CompletableFuture<T> future, String timedOut) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(timedOut + " within 30 s", e);
        }
    }

    @PreDestroy
    void close() throws InterruptedException {
        ticker.shutdownNow();
        loop.shutdown();
        loop.awaitTermination(10, TimeUnit.SECONDS);
    }

    private static final class RunningTask {
        final TaskDefinition definition;
        final TaskProgress progress;
        final Map<String, TargetDesktop> targets;
        final RecordKeys keys;
        /** Its entries in the engine's provisional map, removed with the task. */
        final Set<String> provisional = new HashSet<>();

        RunningTask(TaskDefinition definition, TaskProgress progress, Map<String, TargetDesktop> targets,
                    RecordKeys keys) {
            this.definition = definition;
            this.progress = progress;
            this.targets = targets;
            this.keys = keys;
        }

        String recordId(String desktopId, int step) {
            return definition.recordId(desktopId, step, keys.of(desktopId, step));
        }
    }

    /** A step whose outcome a deadline or a stop decided, in a task the engine still runs. */
    private record Provisional(RunningTask task, String desktopId, int step) {
    }

    /** One step of one desktop that has been dispatched and has no result yet. */
    private static final class Inflight {
        final RunningTask task;
        final String desktopId;
        final int step;
        final String recordId;
        final long recordKey;
        final Instant deliveryDeadline;
        boolean sent;
        boolean started;
        /** Stopped: a cancel, not the command, is what the desktop gets when it connects. */
        boolean cancelRequested;
        /** Re-attached after a restart: the previous process may have delivered it, so a stop must cancel it. */
        boolean maybeDelivered;
        Instant startedAt;
        Instant resultDeadline;

        Inflight(RunningTask task, String desktopId, int step, Instant deliveryDeadline) {
            this.task = task;
            this.desktopId = desktopId;
            this.step = step;
            this.recordKey = task.keys.of(desktopId, step);
            this.recordId = task.definition.recordId(desktopId, step, recordKey);
            this.deliveryDeadline = deliveryDeadline;
        }

        Duration timeout() {
            return Duration.ofMinutes(task.definition.executionTimeoutMinutes());
        }
    }
}
