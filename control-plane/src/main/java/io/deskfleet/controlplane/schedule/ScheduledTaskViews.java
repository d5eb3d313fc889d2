package io.deskfleet.controlplane.schedule;

import io.deskfleet.api.schedule.ApplyObjectBody;
import io.deskfleet.api.schedule.ScheduledTaskDetail;
import io.deskfleet.api.schedule.ScheduledTaskSummary;
import io.deskfleet.api.schedule.TaskRecord;
import io.deskfleet.api.schedule.TaskRecordDetail;
import io.deskfleet.api.schedule.TaskRecordDetailList;
import io.deskfleet.api.schedule.TaskRecordList;
import io.deskfleet.scheduler.ScheduleSpec;
import io.deskfleet.scheduler.ScheduleTimes;

import java.time.Instant;

/**
 * Stored tasks and their records as the REST API shows them. Scheduled-task times are contract strings
 * ({@code yyyy-MM-dd HH:mm:ss}) in the task's zone, UTC when it has none.
 */
final class ScheduledTaskViews {
    /** Every fire targets desktops; the contract's execute_object_type has no other value here. */
    private static final String EXECUTE_OBJECT_TYPE = "DESKTOP";

    private ScheduledTaskViews() {
    }

    static ScheduledTaskSummary summary(ScheduledTask t) {
        ScheduleSpec s = t.spec();
        return new ScheduledTaskSummary(t.id(), t.taskName(), t.type().name(), s.scheduledType(),
                s.lifeCycleType(), t.lastStatus(), nextExecutionTime(t), s.expireTime(), t.enabled(),
                t.description(), t.priority(), s.timeZone(), t.waitTime(), t.extraParams());
    }

    static ScheduledTaskDetail detail(ScheduledTask t) {
        ScheduleSpec s = t.spec();
        return new ScheduledTaskDetail(t.id(), t.taskName(), t.type().name(), s.scheduledType(), s.dayInterval(),
                s.weekList(), s.monthList(), s.dateList(), s.scheduledDate(), s.scheduledTime(), s.expireTime(),
                s.lifeCycleType(), s.timeZone(), t.grayCount(), t.grayDesktopIds(), t.grayFailThreshold(),
                t.isGray(), t.forceExecute(), t.description(), t.enabled(), t.extraParams(),
                t.applyObjects().stream().map(o -> new ApplyObjectBody(o.objectId(), o.objectType())).toList(),
                t.priority(), t.waitTime(), t.lastStatus(), nextExecutionTime(t));
    }

    static TaskRecordList records(FireRecord.Page<FireRecord> page) {
        return new TaskRecordList(page.totalCount(), page.items().stream().map(ScheduledTaskViews::record).toList());
    }

    static TaskRecordDetailList details(FireRecord.Page<FireRecord.Detail> page) {
        return new TaskRecordDetailList(page.totalCount(),
                page.items().stream().map(ScheduledTaskViews::detail).toList());
    }

    private static TaskRecord record(FireRecord r) {
        return new TaskRecord(r.id(), format(r.startTime(), r.timeZone()), r.taskType(), r.scheduledType(),
                r.lifeCycleType(), r.status(), r.successNum(), r.failedNum(), r.skipNum(), r.timeZone(),
                r.executeTaskId(), EXECUTE_OBJECT_TYPE, r.expireTime(), r.extraParams());
    }

    private static TaskRecordDetail detail(FireRecord.Detail d) {
        return new TaskRecordDetail(d.id(), d.recordId(), d.desktopId(), d.desktopName(), d.status(), d.scriptId(),
                d.resultCode(), d.failReason(), format(d.startTime(), d.timeZone()),
                format(d.endTime(), d.timeZone()), d.timeZone());
    }

    /** Null when the task has no next clock fire, or is disabled (a disabled task never fires). */
    private static String nextExecutionTime(ScheduledTask t) {
        if (t.nextFireAt() == null || !t.enabled()) {
            return null;
        }
        return format(t.nextFireAt(), t.spec().timeZone());
    }

    private static String format(Instant instant, String zone) {
        return instant == null ? null : ScheduleTimes.format(instant, ScheduleTimes.zone(zone));
    }
}
