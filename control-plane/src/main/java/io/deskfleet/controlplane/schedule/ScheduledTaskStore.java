package io.deskfleet.controlplane.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskfleet.api.common.Page;
import io.deskfleet.api.schedule.ApplyObjectBody;
import io.deskfleet.api.validation.Fields;
import io.deskfleet.controlplane.db.Database;
import io.deskfleet.controlplane.refusal.Refusal;
import io.deskfleet.controlplane.refusal.Refused;
import io.deskfleet.scheduler.ScheduleSpec;
import io.deskfleet.scheduler.trigger.ApplyObjectSpec;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Scheduled tasks: create, modify, read, list and delete, over {@link ScheduledTaskRepository}. Maps rows to
 * {@link ScheduledTask} (the two lists as JSON text, the type by {@link TaskTypes}), refuses what is missing as not
 * found, and bounds the JSON lists by their columns' widths.
 */
@Singleton
public class ScheduledTaskStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Widths of the JSON list columns in V20__scheduled_tasks.sql. */
    static final int GRAY_DESKTOP_IDS_WIDTH = 70_000;
    static final int APPLY_OBJECTS_WIDTH = 100_000;
    private static final TypeReference<List<ApplyObjectBody>> APPLY_OBJECTS = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> IDS = new TypeReference<>() {
    };

    private final ScheduledTaskRepository repository;
    private final TaskTypes types;

    ScheduledTaskStore(ScheduledTaskRepository repository, TaskTypes types) {
        this.repository = repository;
        this.types = types;
    }

    /** List filters; null means any. */
    public record Filter(String taskName, String taskType, String scheduledType, String lifeCycleType,
                         String lastStatus) {
    }

    public record TaskPage(long totalCount, List<ScheduledTask> tasks) {
    }

    public void insert(ScheduledTask task, Instant now) {
        repository.save(row(task, null, now, now));
    }

    /**
     * Writes every field of a modified task, including the next fire the rules recomputed, but not the last status:
     * only fires write that, and the row stays locked from the read to the write so that a modify cannot undo one.
     */
    @Transactional
    public void update(ScheduledTask task, Instant now) {
        ScheduledTaskRow stored = repository.findByProjectIdAndIdForUpdate(task.projectId(), task.id())
                .orElseThrow(() -> notFound(task.id()));
        repository.update(row(task, stored.lastStatus(), stored.createdAt(), now));
    }

    public ScheduledTask require(String projectId, String taskId) {
        return find(projectId, taskId).orElseThrow(() -> notFound(taskId));
    }

    public Optional<ScheduledTask> find(String projectId, String taskId) {
        return repository.findByProjectIdAndId(projectId, taskId).map(this::task);
    }

    /** For the poller, which works across projects. */
    public Optional<ScheduledTask> find(String taskId) {
        return repository.findById(taskId).map(this::task);
    }

    /** The enabled LIFE_CYCLE tasks of a project waiting for this event type. */
    public List<ScheduledTask> lifeCycleTasks(String projectId, String lifeCycleType) {
        return repository.enabledLifeCycle(projectId, lifeCycleType).stream().map(this::task).toList();
    }

    public TaskPage list(String projectId, Page page, Filter filter) {
        String taskName = given(filter.taskName());
        String namePattern = taskName == null ? null : Database.containing(taskName);
        String taskType = given(filter.taskType());
        String scheduledType = given(filter.scheduledType());
        String lifeCycleType = given(filter.lifeCycleType());
        String lastStatus = given(filter.lastStatus());
        long total = repository.count(projectId, namePattern, taskType, scheduledType, lifeCycleType, lastStatus);
        return new TaskPage(total, repository.page(projectId, namePattern, taskType, scheduledType, lifeCycleType,
                lastStatus, page.limit(), page.offset()).stream().map(this::task).toList());
    }

    /** Deletes all the tasks or, if any does not exist in the project, none (404 naming the missing ones). */
    @Transactional
    public void delete(String projectId, List<String> taskIds) {
        Set<String> existing = new HashSet<>(repository.findIdByProjectIdAndIdIn(projectId, taskIds));
        List<String> missing = taskIds.stream().filter(id -> !existing.contains(id)).toList();
        if (!missing.isEmpty()) {
            throw Refusal.notFound("Scheduled tasks do not exist: " + Fields.sample(missing)).asException();
        }
        repository.deleteByProjectIdAndIdIn(projectId, taskIds);
    }

    static Refused notFound(String taskId) {
        return Refusal.notFound("Scheduled task " + taskId + " does not exist.").asException();
    }

    /** An empty filter is no filter. */
    private static String given(String filter) {
        return filter == null || filter.isEmpty() ? null : filter;
    }

    private static ScheduledTaskRow row(ScheduledTask t, String lastStatus, Instant createdAt, Instant updatedAt) {
        ScheduleSpec s = t.spec();
        return new ScheduledTaskRow(t.id(), t.projectId(), t.taskName(), t.type().name(), s.scheduledType(),
                s.dayInterval(), s.weekList(), s.monthList(), s.dateList(), s.scheduledDate(), s.scheduledTime(),
                s.expireTime(), s.lifeCycleType(), s.timeZone(), t.scheduleAnchor(), t.grayCount(),
                toJson(t.grayDesktopIds()), t.grayFailThreshold(), t.isGray(), t.forceExecute(), t.description(),
                t.enabled(), t.extraParams(), toJson(storedForm(t.applyObjects())), t.priority(), t.waitTime(),
                t.nextFireAt(), lastStatus, createdAt, updatedAt);
    }

    private ScheduledTask task(ScheduledTaskRow r) {
        ScheduleSpec spec = new ScheduleSpec(r.scheduledType(), r.dayInterval(), r.weekList(), r.monthList(),
                r.dateList(), r.scheduledDate(), r.scheduledTime(), r.expireTime(), r.lifeCycleType(), r.timeZone());
        return new ScheduledTask(r.id(), r.projectId(), r.taskName(), types.stored(r.taskType()), spec,
                r.scheduleAnchor(), r.grayCount(), fromJson(r.grayDesktopIds(), IDS), r.grayFailThreshold(),
                r.gray(), r.forceExecute(), r.description(), r.enabled(), r.extraParams(),
                fromJson(r.applyObjects(), APPLY_OBJECTS).stream()
                        .map(o -> new ApplyObjectSpec(o.objectType(), o.objectId())).toList(),
                r.priority(), r.waitTime(), r.nextFireAt(), r.lastStatus());
    }

    /** Apply objects as their column holds them: the contract's ApplyObject JSON. */
    static List<ApplyObjectBody> storedForm(List<ApplyObjectSpec> objects) {
        return objects.stream().map(o -> new ApplyObjectBody(o.objectId(), o.objectType())).toList();
    }

    /**
     * Refuses a list whose JSON text would not fit its column. The item rules alone do not bound it: JSON escapes a
     * control character as six characters, so 1000 legal 64-character ids can take 390,000.
     */
    static void requireStorable(String field, Object value, int width) {
        int length = toJson(value).length();
        if (length > width) {
            throw Refusal.invalid(field + ": too long to store (" + length + " characters as JSON, at most "
                    + width + ")").asException();
        }
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T fromJson(String text, TypeReference<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable: " + text, e);
        }
    }
}
