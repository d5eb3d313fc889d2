package io.deskfleet.bench.schedule;

import io.deskfleet.scheduler.ScheduleSpec;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.StringJoiner;

/**
 * A deterministic mix of recurring clock schedules for the next-fire benchmark: DAY, WEEK and MONTH in turn, each in
 * one of several zones (most with daylight saving), with varied intervals, day lists and times. Every MONTH rule can
 * be satisfied in every month (its date list has {@code L} or a day up to 28), so every schedule has a next fire and
 * the benchmark times the normal path, not the bounded search for a date no month has.
 */
public final class ScheduleMix {
    /** Zones with and without daylight saving, on both hemispheres, with whole and half-hour offsets. */
    public static final List<String> ZONES = List.of("UTC", "America/New_York", "Europe/London", "Europe/Berlin",
            "Australia/Sydney", "America/Sao_Paulo", "Asia/Shanghai", "Asia/Kolkata", "America/Los_Angeles");
    private static final List<String> DATE_LISTS = List.of("L", "1,15", "28,L", "31,L", "1,10,20,L", "29,30,31,1");
    /** DAY anchors next to DST changes, as if the tasks had been created with these scheduled_date values. */
    private static final List<String> DAY_ANCHORS = List.of("2026-03-08", "2026-03-29", "2026-10-25", "2026-11-01");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final int SECONDS_PER_DAY = 86_400;
    /** A prime step spreads the times of day over the whole day. */
    private static final long TIME_STEP_SECONDS = 7_919;

    private ScheduleMix() {
    }

    /** The i-th schedule of the mix (i >= 0); the same i always gives the same schedule. */
    public static ScheduleSpec spec(int i) {
        String zone = ZONES.get(i % ZONES.size());
        String time = LocalTime.ofSecondOfDay(i * TIME_STEP_SECONDS % SECONDS_PER_DAY).format(TIME);
        int variant = i / 3;
        return switch (i % 3) {
            case 0 -> new ScheduleSpec("DAY", 1 + variant % 7, null, null, null,
                    variant % 2 == 0 ? null : DAY_ANCHORS.get(variant / 2 % DAY_ANCHORS.size()),
                    time, null, null, zone);
            case 1 -> new ScheduleSpec("WEEK", null, list(1 + variant % 127, 7), null, null, null, time, null, null,
                    zone);
            default -> new ScheduleSpec("MONTH", null, null, list(1 + variant % 4095, 12),
                    DATE_LISTS.get(variant % DATE_LISTS.size()), null, time, null, null, zone);
        };
    }

    /** The comma-separated numbers 1..max whose bit (number - 1) is set in mask, e.g. mask 5 -> "1,3". */
    static String list(int mask, int max) {
        StringJoiner items = new StringJoiner(",");
        for (int n = 1; n <= max; n++) {
            if ((mask & (1 << (n - 1))) != 0) {
                items.add(Integer.toString(n));
            }
        }
        return items.toString();
    }
}
