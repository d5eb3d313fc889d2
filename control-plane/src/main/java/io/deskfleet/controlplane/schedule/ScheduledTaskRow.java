package io.deskfleet.controlplane.schedule;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;

import java.time.Instant;

/**
 * A row of the {@code scheduled_tasks} table; column names follow the property names in snake case. The two lists
 * are JSON text, as the columns hold them.
 */
@MappedEntity("scheduled_tasks")
record ScheduledTaskRow(@Id String id, String projectId, String taskName, String taskType, String scheduledType,
                        @Nullable Integer dayInterval, @Nullable String weekList, @Nullable String monthList,
                        @Nullable String dateList, @Nullable String scheduledDate, @Nullable String scheduledTime,
                        @Nullable String expireTime, @Nullable String lifeCycleType, @Nullable String timeZone,
                        Instant scheduleAnchor, @Nullable Integer grayCount, String grayDesktopIds,
                        @Nullable Integer grayFailThreshold, @MappedProperty("is_gray") boolean gray,
                        boolean forceExecute, @Nullable String description, boolean enabled,
                        @Nullable String extraParams, String applyObjects, int priority, int waitTime,
                        @Nullable Instant nextFireAt, @Nullable String lastStatus, Instant createdAt,
                        Instant updatedAt) {
}
