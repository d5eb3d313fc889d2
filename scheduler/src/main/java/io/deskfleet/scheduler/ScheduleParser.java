package io.deskfleet.scheduler;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/**
 * Validates the raw schedule fields of a scheduled task and builds its {@link Schedule}. Every refusal is an
 * {@link InvalidFieldException} naming the contract field. Fields the scheduled type does not use are ignored (the
 * contract's own example request sends all of them with FIXED_TIME).
 */
public final class ScheduleParser {
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);
    private static final String LAST_DAY = "L";

    private ScheduleParser() {
    }

    /**
     * For a create or modify request (and the future-executions endpoint): everything {@link #parseStored} checks,
     * plus that a FIXED_TIME lies strictly after {@code now}. {@code now} is also the DAY anchor when there is no
     * {@code scheduled_date}; persist it with the task so later {@link #parseStored} calls see the same anchor.
     */
    public static Schedule parseRequest(ScheduleSpec spec, Instant now) {
        Schedule schedule = parseStored(spec, now);
        if (schedule.type() == ScheduledType.FIXED_TIME && schedule.nextFireAfter(now).isEmpty()) {
            throw new InvalidFieldException("scheduled_date", "scheduled_date " + spec.scheduledDate() + " "
                    + spec.scheduledTime() + " (" + schedule.zone().getId() + ") is not in the future"
                    + (schedule.expireAt().isPresent() ? " or not before expire_time" : ""));
        }
        return schedule;
    }

    /**
     * For a task already stored: all field checks, but none against the current time, so a FIXED_TIME task that has
     * fired still loads. {@code anchor} is the instant the task was created or its schedule last modified; its date
     * in the task's zone anchors DAY schedules that have no {@code scheduled_date}.
     */
    public static Schedule parseStored(ScheduleSpec spec, Instant anchor) {
        ScheduledType type = scheduledType(spec.scheduledType());
        ZoneId zone = ScheduleTimes.zone(spec.timeZone());
        Instant expireAt = isBlank(spec.expireTime()) ? null : ScheduleTimes.parse(spec.expireTime(), zone, "expire_time");
        if (type == ScheduledType.LIFE_CYCLE) {
            return Schedule.lifeCycle(zone, lifeCycleType(spec.lifeCycleType()), expireAt);
        }
        DateRule dates = switch (type) {
            case FIXED_TIME -> new FixedDateRule(date(required(spec.scheduledDate(), "scheduled_date", type)));
            case DAY -> new DayIntervalRule(
                    isBlank(spec.scheduledDate()) ? anchor.atZone(zone).toLocalDate() : date(spec.scheduledDate()),
                    dayInterval(spec.dayInterval()));
            case WEEK -> new WeekDaysRule(weekDays(required(spec.weekList(), "week_list", type)));
            case MONTH -> monthDays(required(spec.monthList(), "month_list", type),
                    required(spec.dateList(), "date_list", type));
            case LIFE_CYCLE -> throw new IllegalStateException("handled above");
        };
        LocalTime time = time(required(spec.scheduledTime(), "scheduled_time", type));
        return Schedule.clock(type, zone, dates, time, expireAt);
    }

    private static ScheduledType scheduledType(String raw) {
        if (isBlank(raw)) {
            throw new InvalidFieldException("scheduled_type", "scheduled_type is required");
        }
        try {
            return ScheduledType.valueOf(raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("scheduled_type", "scheduled_type '" + raw
                    + "' is unknown; use FIXED_TIME, DAY, WEEK, MONTH or LIFE_CYCLE");
        }
    }

    private static LifeCycleType lifeCycleType(String raw) {
        if (isBlank(raw)) {
            throw new InvalidFieldException("life_cycle_type", "life_cycle_type is required when scheduled_type is LIFE_CYCLE");
        }
        try {
            return LifeCycleType.valueOf(raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("life_cycle_type", "life_cycle_type '" + raw + "' is unknown; use "
                    + "POST_CREATE_DESKTOP_SUCCESS, POST_REBUILD_DESKTOP_SUCCESS, POST_REATTACH_DESKTOP_SUCCESS or "
                    + "POST_DESKTOP_DISCONNECTED");
        }
    }

    private static String required(String raw, String field, ScheduledType type) {
        if (isBlank(raw)) {
            throw new InvalidFieldException(field, field + " is required when scheduled_type is " + type);
        }
        return raw;
    }

    private static LocalDate date(String raw) {
        try {
            return LocalDate.parse(raw, DATE);
        } catch (DateTimeParseException e) {
            throw new InvalidFieldException("scheduled_date", "scheduled_date must be a valid date in the format yyyy-MM-dd, got '" + raw + "'");
        }
    }

    private static LocalTime time(String raw) {
        try {
            return LocalTime.parse(raw, TIME);
        } catch (DateTimeParseException e) {
            throw new InvalidFieldException("scheduled_time", "scheduled_time must be a valid time in the format HH:mm:ss, got '" + raw + "'");
        }
    }

    private static int dayInterval(Integer raw) {
        if (raw == null) {
            throw new InvalidFieldException("day_interval", "day_interval is required when scheduled_type is DAY");
        }
        if (raw < 1 || raw > 31) {
            throw new InvalidFieldException("day_interval", "day_interval must be between 1 and 31, got " + raw);
        }
        return raw;
    }

    private static Set<DayOfWeek> weekDays(String raw) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String item : items(raw, "week_list")) {
            // The contract counts from Sunday = 1; java.time from Monday = 1.
            days.add(DayOfWeek.SUNDAY.plus(number(item, 1, 7, "week_list", "1 (Sunday) to 7 (Saturday)") - 1));
        }
        return days;
    }

    private static MonthDaysRule monthDays(String rawMonths, String rawDates) {
        Set<Month> months = EnumSet.noneOf(Month.class);
        for (String item : items(rawMonths, "month_list")) {
            months.add(Month.of(number(item, 1, 12, "month_list", "1 to 12")));
        }
        Set<Integer> days = new HashSet<>();
        boolean lastDay = false;
        for (String item : items(rawDates, "date_list")) {
            if (item.equals(LAST_DAY)) {
                lastDay = true;
            } else {
                days.add(number(item, 1, 31, "date_list", "1 to 31 or L"));
            }
        }
        return new MonthDaysRule(months, days, lastDay);
    }

    /** Comma-separated items, each trimmed of surrounding spaces; an empty item (",," or a trailing comma) is malformed. */
    private static String[] items(String raw, String field) {
        String[] items = raw.split(",", -1);
        for (int i = 0; i < items.length; i++) {
            items[i] = items[i].strip();
            if (items[i].isEmpty()) {
                throw new InvalidFieldException(field, field + " '" + raw + "' has an empty item; separate values with single commas");
            }
        }
        return items;
    }

    private static int number(String item, int min, int max, String field, String allowed) {
        boolean digits = item.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digits) {
            throw new InvalidFieldException(field, field + " item '" + item + "' is not a number; allowed values are " + allowed);
        }
        // More than 4 digits cannot be in range and might overflow an int.
        int value = item.length() > 4 ? Integer.MAX_VALUE : Integer.parseInt(item);
        if (value < min || value > max) {
            throw new InvalidFieldException(field, field + " item '" + item + "' is out of range; allowed values are " + allowed);
        }
        return value;
    }

    private static boolean isBlank(String raw) {
        return raw == null || raw.isBlank();
    }
}
