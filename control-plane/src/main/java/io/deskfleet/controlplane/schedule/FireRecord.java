package io.deskfleet.controlplane.schedule;

import java.time.Instant;
import java.util.List;

/**
 * One fire of a scheduled task as stored. The counts are the execution's, live, when the fire started one.
 *
 * @param timeZone the task's zone at the fire; its times are shown in it
 */
public record FireRecord(String id, Instant startTime, String taskType, String scheduledType, String lifeCycleType,
                         String status, int successNum, int failedNum, int skipNum, String timeZone,
                         String executeTaskId, String expireTime, String extraParams) {

    /** One desktop of one fire: the fire's own row, or a record of the execution the fire started. */
    public record Detail(String id, String recordId, String desktopId, String desktopName, String status,
                         String scriptId, String resultCode, String failReason, Instant startTime, Instant endTime,
                         String timeZone) {
    }

    /** One page of a listing and how many there are in all. */
    public record Page<T>(long totalCount, List<T> items) {
        public Page {
            items = List.copyOf(items);
        }
    }
}
