package io.deskfleet.scheduler;

/** Builds {@link ScheduleSpec}s for tests; every field starts absent. */
final class Specs {
    private String scheduledType;
    private Integer dayInterval;
    private String weekList;
    private String monthList;
    private String dateList;
    private String scheduledDate;
    private String scheduledTime;
    private String expireTime;
    private String lifeCycleType;
    private String timeZone;

    static Specs fixed(String date, String time) {
        Specs s = new Specs();
        s.scheduledType = "FIXED_TIME";
        s.scheduledDate = date;
        s.scheduledTime = time;
        return s;
    }

    static Specs day(Integer interval, String anchorDate, String time) {
        Specs s = new Specs();
        s.scheduledType = "DAY";
        s.dayInterval = interval;
        s.scheduledDate = anchorDate;
        s.scheduledTime = time;
        return s;
    }

    static Specs week(String weekList, String time) {
        Specs s = new Specs();
        s.scheduledType = "WEEK";
        s.weekList = weekList;
        s.scheduledTime = time;
        return s;
    }

    static Specs month(String monthList, String dateList, String time) {
        Specs s = new Specs();
        s.scheduledType = "MONTH";
        s.monthList = monthList;
        s.dateList = dateList;
        s.scheduledTime = time;
        return s;
    }

    static Specs lifeCycle(String lifeCycleType) {
        Specs s = new Specs();
        s.scheduledType = "LIFE_CYCLE";
        s.lifeCycleType = lifeCycleType;
        return s;
    }

    static Specs type(String scheduledType) {
        Specs s = new Specs();
        s.scheduledType = scheduledType;
        return s;
    }

    Specs zone(String timeZone) {
        this.timeZone = timeZone;
        return this;
    }

    Specs expire(String expireTime) {
        this.expireTime = expireTime;
        return this;
    }

    Specs weekList(String weekList) {
        this.weekList = weekList;
        return this;
    }

    Specs lifeCycleType(String lifeCycleType) {
        this.lifeCycleType = lifeCycleType;
        return this;
    }

    ScheduleSpec spec() {
        return new ScheduleSpec(scheduledType, dayInterval, weekList, monthList, dateList, scheduledDate,
                scheduledTime, expireTime, lifeCycleType, timeZone);
    }

    /** Parsed as a stored task created at the Unix epoch (only DAY without a date uses that anchor). */
    Schedule build() {
        return ScheduleParser.parseStored(spec(), java.time.Instant.EPOCH);
    }
}
