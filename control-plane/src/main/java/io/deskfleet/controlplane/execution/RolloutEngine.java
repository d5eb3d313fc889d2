package io.deskfleet.controlplane.execution;

import io.deskfleet.controlplane.inventory.TargetResolver;
import io.deskfleet.controlplane.inventory.TargetDesktop;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.Hello;
import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.InvocationStarted;
import io.deskfleet.controlplane.agentlink.AgentEventListener;
import io.deskfleet.controlplane.agentlink.AgentGateway;
import io.deskfleet.controlplane.refusal.Refused;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Runs execution tasks: dispatches each task's batches to the agents, turns agent events into record changes and
 * feeds them to the task's {@link TaskProgress}.
 *
 * <p>Each kind of event has its processor, as Zeebe's engine has one per record type: {@link TaskRecovery} (the
 * first event), a task's start (here), {@link StopProcessor}, {@link ReconnectProcessor} (Hello),
 * {@link StartedProcessor} (InvocationStarted), {@link ResultProcessor} (InvocationResult) and the timed
 * {@link DeadlineSweep}. They share {@link EngineState} and carry out what the state machine decides through
 * {@link ProgressApplier}. All of them run on the one thread of the {@link RolloutLoop}, so no task state is ever
 * shared between threads and each event is O(1) (or O(batch) when a batch starts): there is no thread per desktop,
 * task or stream. Changes go to the {@link RecordWriter}; a result is acknowledged to the agent only once its
 * change is committed. Time comes from the injected {@link Clock} (see {@link Deadlines}).
 *
 * <p>Created at startup: its first act, queued before any agent event can be, is to resume the tasks a previous
 * process left unfinished.
 */
@Context
public class RolloutEngine implements AgentEventListener {
    private final RolloutLoop loop = new RolloutLoop();
    private final EngineState state = new EngineState();
    private final ExecutionMetrics metrics;
    private final ProgressApplier applier;
    private final StopProcessor stops;
    private final ReconnectProcessor reconnects;
    private final StartedProcessor starts;
    private final ResultProcessor results;
    private final TaskRecovery recovery;
    private final TaskOwnership ownership;
    private final OwnerForwarding forwarding;

    public RolloutEngine(AgentGateway gateway, RecordWriter writer, ExecutionQueries queries, TargetResolver targetResolver,
                         ExecutionMetrics metrics, Clock clock, TaskOwnership ownership,
                         Optional<OwnerForwarding> forwarding,
                         @Value("${deskfleet.execution.delivery-window:60s}") Duration deliveryWindow,
                         @Value("${deskfleet.execution.result-grace:30s}") Duration resultGrace,
                         @Value("${deskfleet.output.max-bytes-per-record}") long fullOutputBytes) {
        Deadlines deadlines = new Deadlines(clock, deliveryWindow, resultGrace);
        CommandMessages messages = new CommandMessages(fullOutputBytes);
        this.metrics = metrics;
        this.applier = new ProgressApplier(state, writer, gateway, messages, deadlines, metrics, new PowerAroundRun(gateway));
        this.stops = new StopProcessor(state, applier);
        this.reconnects = new ReconnectProcessor(state, writer, gateway, messages, deadlines);
        this.starts = new StartedProcessor(state, writer, deadlines);
        this.results = new ResultProcessor(state, applier, writer, deadlines);
        this.recovery = new TaskRecovery(state, queries, targetResolver, writer, gateway, messages, deadlines);
        DeadlineSweep sweep = new DeadlineSweep(state, applier, gateway, deadlines, ownership);
        this.ownership = ownership;
        this.forwarding = forwarding.orElse(OwnerForwarding.NONE);
        ownership.onLost(taskId -> loop.execute(() -> state.abandon(taskId)));
        if (!ownership.replicated()) {
            loop.execute(recovery::recoverAll);
        }
        loop.every(DeadlineSweep.PERIOD, sweep::sweep);
    }

    /** Starts a stored task: its first batch is dispatched. */
    public void start(TaskDefinition task, RolloutPlan plan, Map<String, TargetDesktop> targets, RecordKeys keys) {
        long accepted = System.nanoTime();
        loop.execute(() -> {
            RunningTask running = new RunningTask(task, new TaskProgress(plan, task.steps().size()), targets, keys);
            state.run(running);
            applier.apply(running, running.progress.start());
            metrics.firstBatchSent(accepted);
        });
    }

    /** Starts a stored task that waited for approval, as recovery resumes one: its first batch is dispatched. */
    public void resume(String projectId, String taskId) {
        if (ownership.takeOver(taskId)) {
            loop.execute(() -> recovery.resume(projectId, taskId));
        }
    }

    /**
     * Replicas: runs here, from now on, an unfinished task another replica runs (to stop it here). The other
     * replica's writes are refused from the moment this returns true.
     *
     * @return false on a single node (it runs every task already), or when the task is over
     */
    public boolean takeOver(String taskId) {
        if (!ownership.replicated() || !ownership.takeOver(taskId)) {
            return false;
        }
        loop.call(() -> {
            recovery.adopt(taskId);
            return null;
        });
        return true;
    }

    /** Replicas: runs a task whose lease this replica took over (its owner went silent). */
    public void adopt(String taskId) {
        loop.execute(() -> recovery.adopt(taskId));
    }

    /** The ids of the tasks this engine runs now. */
    public Set<String> runningTaskIds() {
        return loop.call(() -> state.tasks().stream().map(RunningTask::id).collect(Collectors.toSet()));
    }

    /**
     * Stops a running task, or one desktop's run of it when desktopId is given.
     *
     * @return false when the engine does not run that task (it has finished)
     * @throws Refused from {@link TaskProgress} when it is already over
     */
    public boolean stop(String taskId, String desktopId) {
        CompletableFuture<Void> stored = loop.call(() -> stops.stop(taskId, desktopId));
        if (stored == null) {
            return false;
        }
        // Answered once the cancelled records and the task's state are stored: a stop that was acknowledged must
        // survive a restart, and a read right after it must show it.
        RolloutLoop.await(stored, "the stop was not stored");
        return true;
    }

    @Override
    public void onConnected(String desktopId, Hello hello) {
        loop.execute(() -> reconnects.onConnected(desktopId, hello));
    }

    /**
     * Replicas: the desktop's stream opened on another replica; what this engine has in flight there is sent again,
     * as for a stream opened here.
     */
    public void onConnectedElsewhere(String desktopId, Function<String, CompletableFuture<Optional<Hello>>> hellos) {
        loop.execute(() -> {
            if (state.inflightOn(desktopId) != null) {
                hellos.apply(desktopId).thenAccept(hello -> hello.ifPresent(
                        h -> loop.execute(() -> reconnects.onConnected(desktopId, h))));
            }
        });
    }

    @Override
    public void onStarted(String desktopId, InvocationStarted started) {
        loop.execute(() -> {
            String taskId = RecordIds.taskIdOf(started.getInvocationId());
            if (forwarding.enabled() && taskId != null && !state.knows(started.getInvocationId())) {
                forwarding.forward(taskId, desktopId, AgentMessage.newBuilder().setStarted(started).build());
            } else {
                starts.onStarted(desktopId, started);
            }
        });
    }

    /**
     * A result from an agent connected here. With replicas, a result of a task another replica runs is forwarded to
     * it (and acknowledged once stored for it); one of a task this replica lost while storing it is forwarded too.
     */
    @Override
    public CompletionStage<Void> onResult(String desktopId, InvocationResult result) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            String taskId = RecordIds.taskIdOf(result.getInvocationId());
            if (forwarding.enabled() && taskId != null && !state.knows(result.getInvocationId())) {
                forward(taskId, desktopId, result, done, false);
            } else {
                CompletableFuture<Void> stored = new CompletableFuture<>();
                results.onResult(desktopId, result, stored);
                stored.whenComplete((v, e) -> {
                    if (e != null) {
                        done.completeExceptionally(e);
                    } else if (forwarding.enabled() && taskId != null && !ownership.holds(taskId)) {
                        forward(taskId, desktopId, result, done, true);
                    } else {
                        done.complete(null);
                    }
                });
            }
        });
        return done;
    }

    /** @param handledHere the result went through this engine already: if nobody owns its task, that was enough */
    private void forward(String taskId, String desktopId, InvocationResult result, CompletableFuture<Void> done,
                         boolean handledHere) {
        forwarding.forward(taskId, desktopId, AgentMessage.newBuilder().setResult(result).build())
                .whenComplete((forwarded, e) -> {
                    if (e != null) {
                        done.completeExceptionally(e);
                    } else if (forwarded || handledHere) {
                        done.complete(null);
                    } else {
                        // the task is over: a late result, stored here as any replica would
                        loop.execute(() -> results.onResult(desktopId, result, done));
                    }
                });
    }

    /**
     * Replicas: an agent message another replica stored for a task this one runs (cluster.Inbox).
     *
     * @param owned the task has a lease (this replica's): otherwise it is over, and the message is a late result
     * @return completes once what it says is stored; fails when this replica no longer runs an owned task, so the
     *         message stays for the task's next owner
     */
    public CompletableFuture<Void> onForwarded(String desktopId, AgentMessage message, boolean owned) {
        String invocationId = message.hasResult() ? message.getResult().getInvocationId()
                : message.getStarted().getInvocationId();
        String taskId = RecordIds.taskIdOf(invocationId);
        CompletableFuture<Void> stored = new CompletableFuture<>();
        loop.execute(() -> {
            if (owned && taskId != null && state.task(taskId) == null) {
                // taken over, and not resumed on this loop yet: handled as a late result, it would be lost
                stored.completeExceptionally(new IllegalStateException("task " + taskId + " not resumed yet"));
                return;
            }
            switch (message.getBodyCase()) {
                case STARTED -> {
                    starts.onStarted(desktopId, message.getStarted());
                    stored.complete(null);
                }
                case RESULT -> results.onResult(desktopId, message.getResult(), stored);
                default -> stored.complete(null);
            }
        });
        return stored.thenCompose(v -> !owned || taskId == null || ownership.holds(taskId)
                ? CompletableFuture.completedFuture(v)
                : CompletableFuture.failedFuture(new IllegalStateException("task " + taskId + " moved")));
    }

    @PreDestroy
    void close() throws InterruptedException {
        loop.close();
    }
}
