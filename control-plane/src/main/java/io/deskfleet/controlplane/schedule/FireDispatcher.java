package io.deskfleet.controlplane.schedule;

import io.deskfleet.agent.v1.PowerActionType;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.execution.ExecutionRequest;
import io.deskfleet.api.execution.ExecutionTarget;
import io.deskfleet.api.execution.GraySpec;
import io.deskfleet.api.execution.MaxConcurrency;
import io.deskfleet.api.execution.PostFinish;
import io.deskfleet.api.execution.PreStart;
import io.deskfleet.api.execution.TaskIdResponse;
import io.deskfleet.controlplane.audit.AuditTrail;
import io.deskfleet.controlplane.audit.OnBehalfOfSchedule;
import io.deskfleet.controlplane.execution.ExecutionService;
import io.deskfleet.controlplane.execution.TargetDesktop;
import io.deskfleet.controlplane.inventory.PowerService;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Runs one fire on its desktops: a power action per desktop, or one execution task through the rollout engine. */
@Singleton
public class FireDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(FireDispatcher.class);

    private final PowerService power;
    private final ExecutionService executions;
    private final Clock clock;
    private final AuditTrail audit;

    public FireDispatcher(PowerService power, ExecutionService executions, Clock clock, AuditTrail audit) {
        this.power = power;
        this.executions = executions;
        this.clock = clock;
        this.audit = audit;
    }

    public FireOutcome run(ScheduledTask task, List<TargetDesktop> targets) {
        // done for the schedule: the approval gate sees the system as requester, the audit trail records the fire
        FireOutcome outcome = OnBehalfOfSchedule.run(task.id(), () -> dispatch(task, targets));
        audit.recordScheduleFire(task.projectId(), task.id(), task.taskKind().name(), targets.size(),
                outcome.status().name(), outcome.executeTaskId());
        return outcome;
    }

    private FireOutcome dispatch(ScheduledTask task, List<TargetDesktop> targets) {
        if (targets.isEmpty()) {
            return FireOutcome.of(FireStatus.SKIP, null);
        }
        return task.taskKind().powerAction()
                .map(action -> power(action, targets))
                .orElseGet(() -> script(task, targets));
    }

    private FireOutcome power(PowerActionType action, List<TargetDesktop> targets) {
        List<FireOutcome.DesktopOutcome> outcomes = new ArrayList<>(targets.size());
        for (TargetDesktop desktop : targets) {
            boolean sent = power.send(desktop.id(), action).isPresent();
            outcomes.add(new FireOutcome.DesktopOutcome(desktop.id(), desktop.name(),
                    sent ? FireStatus.SUCCESS : FireStatus.FAIL, sent ? null : "DESKTOP_OFFLINE",
                    sent ? null : "desktop offline", clock.instant()));
        }
        return FireOutcome.ofPower(outcomes);
    }

    private FireOutcome script(ScheduledTask task, List<TargetDesktop> targets) {
        ScriptAction action = task.scriptAction();
        ExecutionRequest request = new ExecutionRequest(
                new ExecutionTarget.Desktops(targets.stream().map(TargetDesktop::id).toList()),
                action.payload(), gray(task), action.executionTimeoutMinutes(),
                task.forceExecute() ? PreStart.START : PreStart.NONE, PostFinish.NONE, MaxConcurrency.UNLIMITED,
                false);
        try {
            TaskIdResponse started = (TaskIdResponse) executions.start(task.projectId(), request);
            // the record follows its execution: RUNNING now, SUCCESS or FAIL when the rollout ends
            return FireOutcome.of(FireStatus.RUNNING, started.taskId());
        } catch (ApiException e) {
            // e.g. a script deleted since the task was saved, or gray desktops not among the targets
            LOG.warn("scheduled task {} could not start its execution: {}", task.id(), e.getMessage());
            return FireOutcome.of(FireStatus.FAIL, null);
        }
    }

    /** gray_* only count when is_gray is true; gray_count wins over gray_desktop_ids, as in executions. */
    static GraySpec gray(ScheduledTask task) {
        int threshold = task.grayFailThreshold() == null ? 1 : task.grayFailThreshold();
        if (!task.isGray()) {
            return new GraySpec.None();
        }
        if (task.grayCount() != null && task.grayCount() > 0) {
            return new GraySpec.Count(task.grayCount(), threshold);
        }
        if (!task.grayDesktopIds().isEmpty()) {
            return new GraySpec.Desktops("gray_desktop_ids", task.grayDesktopIds(), threshold);
        }
        return new GraySpec.None();
    }
}
