package io.deskfleet.cli.schedule;

import picocli.CommandLine.Option;

/** When a scheduled task fires: the contract's schedule fields, each option named after its JSON field. */
public final class ScheduleFields {
    @Option(names = "--scheduled-type", paramLabel = "FIXED_TIME|DAY|WEEK|MONTH|LIFE_CYCLE")
    String scheduledType;

    @Option(names = "--scheduled-date", paramLabel = "yyyy-MM-dd")
    String scheduledDate;

    @Option(names = "--scheduled-time", paramLabel = "HH:mm:ss")
    String scheduledTime;

    @Option(names = "--day-interval", paramLabel = "DAYS", description = "DAY: every n days (1-31).")
    Integer dayInterval;

    @Option(names = "--week-list", paramLabel = "1,..,7", description = "WEEK: days, 1 = Sunday ... 7 = Saturday.")
    String weekList;

    @Option(names = "--month-list", paramLabel = "1,..,12", description = "MONTH: months.")
    String monthList;

    @Option(names = "--date-list", paramLabel = "1,..,31,L", description = "MONTH: days of the month, L = last.")
    String dateList;

    @Option(names = "--life-cycle-type", paramLabel = "TYPE", description = "LIFE_CYCLE: e.g. POST_REBUILD_DESKTOP_SUCCESS.")
    String lifeCycleType;

    @Option(names = "--time-zone", paramLabel = "ZONE", description = "e.g. Asia/Shanghai (default UTC).")
    String timeZone;

    @Option(names = "--expire-time", paramLabel = "yyyy-MM-dd HH:mm:ss")
    String expireTime;
}
