package io.deskfleet.controlplane.schedule;

import io.deskfleet.controlplane.audit.AuditTrail;
import io.deskfleet.controlplane.audit.OnBehalfOfSchedule;
import io.deskfleet.controlplane.inventory.TargetDesktop;
import io.deskfleet.scheduler.MisfireAction;
import io.deskfleet.scheduler.MisfireDecision;
import io.deskfleet.scheduler.MisfirePolicy;
import io.deskfleet.scheduler.ScheduledType;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Fires due tasks: claims the fire durably (with its RUNNING record), then dispatches it and writes the outcome. A
 * crash between the claim and the outcome never runs the fire again (at most once); the record becomes FAIL.
 */
@Singleton
public class ScheduleRunner {
    private final ScheduledTaskStore tasks;
    private final FireStore fires;
    private final ScheduleTargets targets;
    private final Clock clock;
    private final Duration misfireGrace;
    private final ScheduleMetrics metrics;
    private final AuditTrail audit;

    public ScheduleRunner(ScheduledTaskStore tasks, FireStore fires, ScheduleTargets targets, Clock clock,
                          @Value("${deskfleet.schedule.misfire-grace:5m}") Duration misfireGrace,
                          ScheduleMetrics metrics, AuditTrail audit) {
        this.tasks = tasks;
        this.fires = fires;
        this.targets = targets;
        this.clock = clock;
        this.misfireGrace = misfireGrace;
        this.metrics = metrics;
        this.audit = audit;
    }

    /** Runs (or skips, when missed by more than the grace) the due clock fire of one task. */
    public void fireClock(String taskId) {
        Optional<ScheduledTask> found = tasks.find(taskId);
        if (found.isEmpty() || found.get().nextFireAt() == null || !found.get().enabled()) {
            return;
        }
        ScheduledTask task = found.get();
        Instant now = clock.instant();
        if (task.nextFireAt().isAfter(now)) {
            return;
        }
        MisfireDecision decision = MisfirePolicy.decide(task.schedule(), task.nextFireAt(), now, misfireGrace);
        boolean fire = decision.action() == MisfireAction.FIRE;
        FireStore.NewRecord record = new FireStore.NewRecord(UUID.randomUUID().toString(), task,
                decision.scheduledFire(), now, fire ? FireStatus.RUNNING : FireStatus.SKIP);
        if (fires.claimClockFire(task.id(), task.nextFireAt(), decision.nextFire().orElse(null), record) && fire) {
            metrics.fired(decision.scheduledFire(), now);
            dispatch(task, record.id(), targets.resolve(task.projectId(), task.parsedApplyObjects()));
        }
    }

    /** Runs one due LIFE_CYCLE trigger on the desktop that raised the event, unless the task is gone or off. */
    public void fireTrigger(FireStore.Trigger trigger) {
        Optional<ScheduledTask> found = tasks.find(trigger.taskId());
        Instant now = clock.instant();
        // A task modified since the event into a clock task, disabled, expired or deleted runs nothing.
        boolean runs = found.isPresent() && found.get().enabled()
                && found.get().schedule().type() == ScheduledType.LIFE_CYCLE
                && !found.get().schedule().isExpiredAt(now);
        if (!runs) {
            fires.claimTrigger(trigger.id(), null);
            return;
        }
        ScheduledTask task = found.get();
        FireStore.NewRecord record = new FireStore.NewRecord(UUID.randomUUID().toString(), task, trigger.fireAt(),
                now, FireStatus.RUNNING);
        if (fires.claimTrigger(trigger.id(), record)) {
            metrics.fired(trigger.fireAt(), now);
            dispatch(task, record.id(), targets.desktop(task.projectId(), trigger.desktopId()));
        }
    }

    /** The task's type runs the fire; a fire whose objects match no desktop is a SKIP. */
    private void dispatch(ScheduledTask task, String recordId, List<TargetDesktop> desktops) {
        // done for the schedule: the approval gate sees the system as requester, the audit trail records the fire
        FireOutcome outcome = desktops.isEmpty() ? FireOutcome.of(FireStatus.SKIP, null)
                : OnBehalfOfSchedule.run(task.id(), () -> task.type().fire(task, desktops));
        audit.recordScheduleFire(task.projectId(), task.id(), task.type().name(), desktops.size(),
                outcome.status().name(), outcome.executeTaskId());
        fires.finish(recordId, task.id(), outcome);
    }
}
