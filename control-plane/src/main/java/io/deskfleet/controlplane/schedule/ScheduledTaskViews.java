package io.deskfleet.controlplane.schedule;

import io.deskfleet.api.schedule.ScheduledTaskDetail;
import io.deskfleet.api.schedule.ScheduledTaskSummary;
import io.deskfleet.scheduler.ScheduleSpec;
import io.deskfleet.scheduler.ScheduleTimes;

/** A stored task as the REST API shows it; next_execution_time is in the task's zone. */
final class ScheduledTaskViews {
    private ScheduledTaskViews() {
    }

    static ScheduledTaskSummary summary(ScheduledTask t) {
        ScheduleSpec s = t.spec();
        return new ScheduledTaskSummary(t.id(), t.taskName(), t.taskKind().name(), s.scheduledType(),
                s.lifeCycleType(), t.lastStatus(), nextExecutionTime(t), s.expireTime(), t.enabled(),
                t.description(), t.priority(), s.timeZone(), t.waitTime(), t.extraParams());
    }

    static ScheduledTaskDetail detail(ScheduledTask t) {
        ScheduleSpec s = t.spec();
        return new ScheduledTaskDetail(t.id(), t.taskName(), t.taskKind().name(), s.scheduledType(), s.dayInterval(),
                s.weekList(), s.monthList(), s.dateList(), s.scheduledDate(), s.scheduledTime(), s.expireTime(),
                s.lifeCycleType(), s.timeZone(), t.grayCount(), t.grayDesktopIds(), t.grayFailThreshold(),
                t.isGray(), t.forceExecute(), t.description(), t.enabled(), t.extraParams(), t.applyObjects(),
                t.priority(), t.waitTime(), t.lastStatus(), nextExecutionTime(t));
    }

    /** Null when the task has no next clock fire, or is disabled (a disabled task never fires). */
    private static String nextExecutionTime(ScheduledTask t) {
        if (t.nextFireAt() == null || !t.enabled()) {
            return null;
        }
        return ScheduleTimes.format(t.nextFireAt(), ScheduleTimes.zone(t.spec().timeZone()));
    }
}
