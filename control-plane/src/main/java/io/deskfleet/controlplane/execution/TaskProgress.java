package io.deskfleet.controlplane.execution;

import io.deskfleet.api.execution.RecordStatus;
import io.deskfleet.api.execution.TaskStatus;
import io.deskfleet.controlplane.refusal.Refusal;
import io.deskfleet.controlplane.refusal.Refused;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The state machine of one task: which desktop runs which step next, when the gray batch halts the rollout, and
 * when the task is over. Batches run one after another; within a batch every desktop starts at once, and each
 * desktop runs its steps (scripts) in order, stopping at the first that does not succeed.
 *
 * <p>Each event costs O(1), or O(batch) when it starts the next batch; halting and stopping touch the remaining
 * desktops once. Not thread-safe: the caller feeds one task's events one at a time. The machine is deterministic,
 * so after a restart it is rebuilt by {@link #start()} and replaying the persisted events in their order (re-sent
 * dispatches are harmless because invocation ids make them idempotent on the agent). The counts are kept by
 * {@link DesktopCounts}, the gray threshold by {@link GrayGate}.
 */
public final class TaskProgress {
    static final String REASON_STOPPED = "stopped by user";
    static final String REASON_EARLIER_STEP = "an earlier script on this desktop did not succeed";

    private final RolloutPlan plan;
    private final int steps;
    private final Map<String, DesktopRun> desktops;
    private final DesktopCounts counts = new DesktopCounts();
    private final GrayGate gray;
    /** Index of the last batch dispatched; only its desktops can be running. */
    private int batchIndex = -1;
    private int running;
    private boolean started;
    private boolean halted;
    private boolean stopped;
    private boolean finished;
    private TaskStatus status = TaskStatus.WAITING;

    /** @param steps scripts per desktop (1 for a command) */
    public TaskProgress(RolloutPlan plan, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("a task runs at least one step");
        }
        this.plan = plan;
        this.steps = steps;
        this.gray = new GrayGate(plan.grayFailThreshold());
        this.desktops = new HashMap<>(plan.targetCount() * 2);
        for (RolloutPlan.Batch batch : plan.batches()) {
            for (String id : batch.desktopIds()) {
                desktops.put(id, new DesktopRun(batch.order()));
            }
        }
    }

    /** Starts the task: the first batch is dispatched. */
    public ProgressUpdate start() {
        if (started || stopped) {
            throw new IllegalStateException("task already started or stopped");
        }
        started = true;
        status = TaskStatus.RUNNING;
        ProgressChanges changes = new ProgressChanges();
        advance(changes);
        return update(changes);
    }

    /**
     * A step of a desktop ended with {@code outcome} (from {@link StepOutcome}): SUCCESS, FAILED, TIMEOUT,
     * UNDELIVERABLE, UNKNOWN or CANCELLED. A result for a step that is not the desktop's running step (a duplicate after a
     * reconnect) changes nothing.
     */
    public ProgressUpdate onStepFinished(String desktopId, int step, RecordStatus outcome) {
        if (!outcome.isTerminal() || outcome == RecordStatus.SKIPPED) {
            throw new IllegalArgumentException("not a step outcome: " + outcome);
        }
        DesktopRun desktop = run(desktopId);
        ProgressChanges changes = new ProgressChanges();
        if (desktop.status != RecordStatus.RUNNING || desktop.step != step) {
            return update(changes);
        }
        boolean lastStep = step == steps - 1;
        if (outcome == RecordStatus.SUCCESS && !lastStep) {
            if (!stopped && !desktop.cancelRequested) {
                desktop.step++;
                changes.dispatches.add(new Dispatch(desktopId, desktop.step, desktop.order));
                return update(changes);
            }
            settle(desktop, RecordStatus.CANCELLED);
            changes.close(RecordStatus.CANCELLED, REASON_STOPPED, List.of(desktopId));
        } else {
            settle(desktop, outcome);
            if (!lastStep) {
                changes.close(outcome == RecordStatus.CANCELLED ? RecordStatus.CANCELLED : RecordStatus.SKIPPED,
                        outcome == RecordStatus.CANCELLED ? REASON_STOPPED : REASON_EARLIER_STEP, List.of(desktopId));
            }
        }
        if (gray.ended(desktop.order, outcome) && !halted && !stopped) {
            halt(changes);
        }
        advance(changes);
        return update(changes);
    }

    /**
     * The agent's result for a step whose outcome a deadline of the control plane had already settled (TIMEOUT,
     * UNDELIVERABLE, UNKNOWN, or CANCELLED for a stop the agent never answered): it replaces that outcome and the
     * counts follow. Nothing is dispatched again: the later scripts of a desktop that a provisional outcome kept
     * from running stay skipped or cancelled, so a late SUCCESS of a step that is not the desktop's last leaves the
     * desktop counted as it was (it did not run all its scripts); a halted rollout stays halted. A late failure of
     * the gray batch can still halt a running rollout. A result for a step that did not settle the desktop changes
     * nothing. The caller passes only results for provisional outcomes, once each.
     */
    public ProgressUpdate onLateResult(String desktopId, int step, RecordStatus outcome) {
        if (!outcome.isTerminal() || outcome == RecordStatus.SKIPPED) {
            throw new IllegalArgumentException("not a step outcome: " + outcome);
        }
        DesktopRun desktop = run(desktopId);
        ProgressChanges changes = new ProgressChanges();
        if (!desktop.status.isTerminal() || desktop.status == RecordStatus.SKIPPED || desktop.step != step) {
            return update(changes);
        }
        RecordStatus replaced = desktop.status;
        RecordStatus now = outcome == RecordStatus.SUCCESS && step < steps - 1 ? replaced : outcome;
        counts.add(replaced, -1);
        counts.add(now, 1);
        desktop.status = now;
        if (gray.replaced(desktop.order, replaced, now) && !halted && !stopped) {
            halt(changes);
        }
        advance(changes);
        if (finished) {
            status = finalStatus();
        }
        return update(changes);
    }

    /**
     * Stops the whole task: desktops that have not started never will (CANCELLED), running ones are returned as
     * kills and settle when their result arrives. The task is CANCELLED at once.
     *
     * @throws Refused INVALID_STATE when the task has already finished
     */
    public ProgressUpdate stop() {
        if (finished) {
            throw Refusal.invalidState("the task has already finished").asException();
        }
        ProgressChanges changes = new ProgressChanges();
        if (stopped) {
            return update(changes);
        }
        stopped = true;
        status = TaskStatus.CANCELLED;
        List<String> pending = markWaiting(batchIndex + 1, RecordStatus.CANCELLED);
        if (!pending.isEmpty()) {
            changes.close(RecordStatus.CANCELLED, REASON_STOPPED, pending);
        }
        if (batchIndex >= 0) {
            for (String id : plan.batches().get(batchIndex).desktopIds()) {
                if (desktops.get(id).status == RecordStatus.RUNNING) {
                    changes.kills.add(id);
                }
            }
        }
        advance(changes);
        return update(changes);
    }

    /**
     * Stops one desktop's run (stop by record_id): if it has not started it never will; if it runs it is returned as
     * a kill, and its later scripts are cancelled. The rest of the task goes on.
     *
     * @throws Refused INVALID_STATE when the task or that desktop's run has already ended
     */
    public ProgressUpdate cancelDesktop(String desktopId) {
        DesktopRun desktop = run(desktopId);
        if (finished || stopped || desktop.status.isTerminal()) {
            throw Refusal.invalidState("the execution has already finished or been stopped").asException();
        }
        ProgressChanges changes = new ProgressChanges();
        if (desktop.status == RecordStatus.WAITING) {
            desktop.status = RecordStatus.CANCELLED;
            counts.skipped();
            changes.close(RecordStatus.CANCELLED, REASON_STOPPED, List.of(desktopId));
        } else if (!desktop.cancelRequested) {
            desktop.cancelRequested = true;
            changes.kills.add(desktopId);
        }
        advance(changes);
        return update(changes);
    }

    public TaskStatus status() {
        return status;
    }

    /** True once no desktop runs or will run. A stopped task is CANCELLED before its killed desktops settle. */
    public boolean isFinished() {
        return finished;
    }

    public TaskCounts counts() {
        return counts.snapshot();
    }

    /** The desktop's overall status: its last step's outcome, or SKIPPED/CANCELLED if it never ran. */
    public RecordStatus desktopStatus(String desktopId) {
        return run(desktopId).status;
    }

    /** The step the desktop runs now, or ran last. */
    public int currentStep(String desktopId) {
        return run(desktopId).step;
    }

    private DesktopRun run(String desktopId) {
        DesktopRun desktop = desktops.get(desktopId);
        if (desktop == null) {
            throw new IllegalArgumentException("not a desktop of this task: " + desktopId);
        }
        return desktop;
    }

    private void settle(DesktopRun desktop, RecordStatus outcome) {
        desktop.status = outcome;
        running--;
        counts.add(outcome, 1);
    }

    private void halt(ProgressChanges changes) {
        halted = true;
        changes.halted = true;
        List<String> skipped = markWaiting(batchIndex + 1, RecordStatus.SKIPPED);
        if (!skipped.isEmpty()) {
            changes.close(RecordStatus.SKIPPED, gray.haltReason(), skipped);
        }
    }

    /** Marks every WAITING desktop of the batches from {@code fromBatch} on; returns their ids. */
    private List<String> markWaiting(int fromBatch, RecordStatus to) {
        List<String> marked = new ArrayList<>();
        for (int b = fromBatch; b < plan.batches().size(); b++) {
            for (String id : plan.batches().get(b).desktopIds()) {
                DesktopRun desktop = desktops.get(id);
                if (desktop.status == RecordStatus.WAITING) {
                    desktop.status = to;
                    counts.skipped();
                    marked.add(id);
                }
            }
        }
        return marked;
    }

    /** Dispatches the next batch once the current one is over, and detects the end of the task. */
    private void advance(ProgressChanges changes) {
        int batchCount = plan.batches().size();
        while (started && running == 0 && !halted && !stopped && batchIndex + 1 < batchCount) {
            batchIndex++;
            for (String id : plan.batches().get(batchIndex).desktopIds()) {
                DesktopRun desktop = desktops.get(id);
                if (desktop.status == RecordStatus.WAITING) {
                    desktop.status = RecordStatus.RUNNING;
                    running++;
                    changes.dispatches.add(new Dispatch(id, 0, desktop.order));
                }
            }
        }
        boolean nothingLeft = stopped || halted || (started && batchIndex + 1 >= batchCount);
        if (!finished && running == 0 && nothingLeft) {
            finished = true;
            status = finalStatus();
        }
    }

    /** A finished task's status; {@code TaskRecount} recounts a finished task from its records by the same rule. */
    private TaskStatus finalStatus() {
        if (stopped) {
            return TaskStatus.CANCELLED;
        }
        if (halted || counts.anyFailed()) {
            return TaskStatus.FAILED;
        }
        // nothing failed and nothing succeeded: every desktop was cancelled one by one
        return counts.anySucceeded() ? TaskStatus.SUCCESS : TaskStatus.CANCELLED;
    }

    private ProgressUpdate update(ProgressChanges changes) {
        return changes.toUpdate(status, counts(), finished);
    }
}
