package io.deskfleet.scheduler;

/**
 * The schedule fields of a scheduled task exactly as the contract carries them (any of them may be null). The
 * control plane stores these raw values and turns them into a {@link Schedule} with {@link ScheduleParser}.
 */
public record ScheduleSpec(
        String scheduledType,
        Integer dayInterval,
        String weekList,
        String monthList,
        String dateList,
        String scheduledDate,
        String scheduledTime,
        String expireTime,
        String lifeCycleType,
        String timeZone) {
}
