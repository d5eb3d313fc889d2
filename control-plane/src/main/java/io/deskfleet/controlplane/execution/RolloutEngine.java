package io.deskfleet.controlplane.execution;

import io.deskfleet.controlplane.inventory.TargetResolver;
import io.deskfleet.controlplane.inventory.TargetDesktop;
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

    public RolloutEngine(AgentGateway gateway, RecordWriter writer, ExecutionQueries queries, TargetResolver targetResolver,
                         ExecutionMetrics metrics, Clock clock,
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
        DeadlineSweep sweep = new DeadlineSweep(state, applier, gateway, deadlines);
        loop.execute(recovery::recoverAll);
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
        loop.execute(() -> recovery.resume(projectId, taskId));
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

    @Override
    public void onStarted(String desktopId, InvocationStarted started) {
        loop.execute(() -> starts.onStarted(desktopId, started));
    }

    @Override
    public CompletionStage<Void> onResult(String desktopId, InvocationResult result) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        loop.execute(() -> results.onResult(desktopId, result, stored));
        return stored;
    }

    @PreDestroy
    void close() throws InterruptedException {
        loop.close();
    }
}
