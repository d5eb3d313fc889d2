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

    /**
     * The same spec with the fields {@code type} does not use cleared, as {@link ScheduleParser} reads them:
     * the contract lets a client send every field with any type, and what the type ignores is not kept.
     */
    public ScheduleSpec usedBy(ScheduledType type) {
        boolean day = type == ScheduledType.DAY;
        boolean month = type == ScheduledType.MONTH;
        boolean clock = type != ScheduledType.LIFE_CYCLE;
        return new ScheduleSpec(scheduledType, day ? dayInterval : null,
                type == ScheduledType.WEEK ? weekList : null, month ? monthList : null, month ? dateList : null,
                type == ScheduledType.FIXED_TIME || day ? scheduledDate : null, clock ? scheduledTime : null,
                expireTime, type == ScheduledType.LIFE_CYCLE ? lifeCycleType : null, timeZone);
    }
}
