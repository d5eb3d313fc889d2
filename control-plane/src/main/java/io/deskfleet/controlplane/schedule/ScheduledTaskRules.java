package io.deskfleet.controlplane.schedule;

import io.deskfleet.api.schedule.ScheduledTaskRequest;
import io.deskfleet.api.validation.Fields;
import io.deskfleet.controlplane.refusal.Refusal;
import io.deskfleet.scheduler.InvalidFieldException;
import io.deskfleet.scheduler.Schedule;
import io.deskfleet.scheduler.ScheduleParser;
import io.deskfleet.scheduler.ScheduleSpec;
import io.deskfleet.scheduler.trigger.ApplyObjectParser;
import io.deskfleet.scheduler.trigger.ApplyObjectSpec;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Turns a create or modify request into a validated {@link ScheduledTask}, or refuses it with a refusal naming the
 * field. Pure: the caller supplies the stored task and the current time, and persists nothing on a refusal. What
 * {@code task_type} allows and requires is its {@link TaskType}'s.
 */
@Singleton
public class ScheduledTaskRules {
    static final int MAX_NAME = 255;
    static final int MAX_DESCRIPTION = 255;
    static final int MAX_GRAY = 1000;
    static final int DEFAULT_PRIORITY = 1;

    private final TaskTypes types;

    public ScheduledTaskRules(TaskTypes types) {
        this.types = types;
    }

    /** A new task; {@code now} anchors its schedule and a FIXED_TIME must lie after it. */
    public ScheduledTask create(String id, String projectId, ScheduledTaskRequest r, Instant now) {
        bounded(r);
        if (r.applyObjectUpdateType() != null) {
            throw invalid("apply_object_update_type: only allowed when modifying a task");
        }
        if (r.taskName() == null) {
            throw invalid("task_name: is required");
        }
        if (r.taskType() == null) {
            throw invalid("task_type: is required");
        }
        ScheduledTask empty = new ScheduledTask(id, projectId, null, null,
                new ScheduleSpec(null, null, null, null, null, null, null, null, null, null), now, null, List.of(),
                null, false, false, null, true, null, List.of(), DEFAULT_PRIORITY, 0, null, null);
        return merge(empty, r, now, true);
    }

    /**
     * The stored task with the request's present fields applied. When a schedule field is present the schedule is
     * re-validated as a new one (re-anchored at {@code now}); either way the next fire is recomputed from now.
     */
    public ScheduledTask modify(ScheduledTask stored, ScheduledTaskRequest r, Instant now) {
        bounded(r);
        return merge(stored, r, now, r.touchesSchedule());
    }

    /** The schedule of a future-executions request, validated like a new task's. */
    public Schedule schedule(ScheduledTaskRequest r, Instant now) {
        bounded(r);
        return parse(() -> ScheduleParser.parseRequest(spec(r), now));
    }

    private ScheduledTask merge(ScheduledTask s, ScheduledTaskRequest r, Instant now, boolean newSchedule) {
        String name = Fields.requiredText("task_name", or(r.taskName(), s.taskName()), MAX_NAME);
        TaskType type = r.taskType() == null ? s.type() : types.parse(r.taskType());
        ScheduleSpec requested = merge(s.spec(), r);
        Instant anchor = newSchedule ? now : s.scheduleAnchor();
        Schedule schedule = parse(() -> newSchedule ? ScheduleParser.parseRequest(requested, now)
                : ScheduleParser.parseStored(requested, anchor));
        ScheduleSpec spec = requested.usedBy(schedule.type());
        if (!type.allows(schedule.type())) {
            throw invalid("task_type: " + type.name() + " is not allowed with scheduled_type "
                    + schedule.type().name());
        }
        String description = Fields.bounded("description", or(r.description(), s.description()), MAX_DESCRIPTION);
        String extraParams = or(r.extraParams(), s.extraParams());
        type.validate(ExtraParams.parse(extraParams));
        List<ApplyObjectSpec> applyObjects = applyObjects(s.applyObjects(), r);
        Integer grayCount = or(r.grayCount(), s.grayCount());
        Fields.intInRange("gray_count", grayCount, 0, MAX_GRAY, 0);
        Integer grayFailThreshold = or(r.grayFailThreshold(), s.grayFailThreshold());
        Fields.intInRange("gray_fail_threshold", grayFailThreshold, 1, MAX_GRAY, 1);
        List<String> grayDesktopIds = r.grayDesktopIds() == null ? s.grayDesktopIds()
                : Fields.ids("gray_desktop_ids", r.grayDesktopIds());
        if (grayDesktopIds.size() > MAX_GRAY) {
            throw invalid("gray_desktop_ids: at most " + MAX_GRAY + " ids");
        }
        ScheduledTaskStore.requireStorable("gray_desktop_ids", grayDesktopIds,
                ScheduledTaskStore.GRAY_DESKTOP_IDS_WIDTH);
        ScheduledTaskStore.requireStorable("apply_objects", ScheduledTaskStore.storedForm(applyObjects),
                ScheduledTaskStore.APPLY_OBJECTS_WIDTH);
        int priority = Fields.intInRange("priority", r.priority(), 1, 50, s.priority());
        int waitTime = Fields.intInRange("wait_time", r.waitTime(), 0, 43_200, s.waitTime());
        return new ScheduledTask(s.id(), s.projectId(), name, type, spec, anchor, grayCount, grayDesktopIds,
                grayFailThreshold, or(r.isGray(), s.isGray()), or(r.forceExecute(), s.forceExecute()), description,
                or(r.enable(), s.enabled()), extraParams, applyObjects, priority, waitTime,
                schedule.nextFireAfter(now).orElse(null), s.lastStatus());
    }

    /**
     * Every text field within its column in scheduled_tasks (V20__scheduled_tasks.sql), whether or not the schedule
     * type uses it: the parser reads only the fields of the type, and an unused field is dropped only after it.
     * task_name, description and extra_params are checked where they are read.
     */
    private static void bounded(ScheduledTaskRequest r) {
        Fields.bounded("task_type", r.taskType(), 32);
        Fields.bounded("scheduled_type", r.scheduledType(), 16);
        Fields.bounded("week_list", r.weekList(), 255);
        Fields.bounded("month_list", r.monthList(), 255);
        Fields.bounded("date_list", r.dateList(), 255);
        Fields.bounded("scheduled_date", r.scheduledDate(), 32);
        Fields.bounded("scheduled_time", r.scheduledTime(), 32);
        Fields.bounded("expire_time", r.expireTime(), 32);
        Fields.bounded("life_cycle_type", r.lifeCycleType(), 64);
        Fields.bounded("time_zone", r.timeZone(), 64);
        Fields.bounded("apply_object_update_type", r.applyObjectUpdateType(), 16);
    }

    /** FULL_COVERAGE (the default) replaces the objects with the request's, CLEAR_ALL removes them all. */
    private static List<ApplyObjectSpec> applyObjects(List<ApplyObjectSpec> stored, ScheduledTaskRequest r) {
        String updateType = r.applyObjectUpdateType();
        if (updateType != null && !updateType.equals("FULL_COVERAGE") && !updateType.equals("CLEAR_ALL")) {
            throw invalid("apply_object_update_type: must be FULL_COVERAGE or CLEAR_ALL, got '"
                    + updateType + "'");
        }
        if ("CLEAR_ALL".equals(updateType)) {
            if (r.applyObjects() != null && !r.applyObjects().isEmpty()) {
                throw invalid("apply_object_update_type: CLEAR_ALL does not take apply_objects");
            }
            return List.of();
        }
        if (r.applyObjects() == null) {
            return stored;
        }
        List<ApplyObjectSpec> requested = r.applyObjects().stream()
                .map(o -> o == null ? null : new ApplyObjectSpec(o.objectType(), o.objectId())).toList();
        parse(() -> ApplyObjectParser.parse(requested));
        return requested;
    }

    private static ScheduleSpec merge(ScheduleSpec s, ScheduledTaskRequest r) {
        return new ScheduleSpec(or(r.scheduledType(), s.scheduledType()), or(r.dayInterval(), s.dayInterval()),
                or(r.weekList(), s.weekList()), or(r.monthList(), s.monthList()), or(r.dateList(), s.dateList()),
                or(r.scheduledDate(), s.scheduledDate()), or(r.scheduledTime(), s.scheduledTime()),
                or(r.expireTime(), s.expireTime()), or(r.lifeCycleType(), s.lifeCycleType()),
                or(r.timeZone(), s.timeZone()));
    }

    private static ScheduleSpec spec(ScheduledTaskRequest r) {
        return new ScheduleSpec(r.scheduledType(), r.dayInterval(), r.weekList(), r.monthList(), r.dateList(),
                r.scheduledDate(), r.scheduledTime(), r.expireTime(), r.lifeCycleType(), r.timeZone());
    }

    /** The scheduler module's refusals carry the field name first; they become the 400's error_msg. */
    private static <T> T parse(Supplier<T> parsing) {
        try {
            return parsing.get();
        } catch (InvalidFieldException e) {
            throw invalid(e.getMessage());
        }
    }

    private static RuntimeException invalid(String message) {
        return Refusal.invalid(message).asException();
    }

    private static <T> T or(T requested, T stored) {
        return requested != null ? requested : stored;
    }
}
