package io.deskfleet.scheduler;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated, immutable schedule of one scheduled task: when it fires (clock schedules) or which event fires it
 * (LIFE_CYCLE). Built by {@link ScheduleParser}. Thread-safe; every method is a pure function of its arguments.
 */
public final class Schedule {
    private final ScheduledType type;
    private final ZoneId zone;
    private final DateRule dates;
    private final LocalTime time;
    private final Instant expireAt;
    private final LifeCycleType lifeCycleType;

    private Schedule(ScheduledType type, ZoneId zone, DateRule dates, LocalTime time, Instant expireAt,
                     LifeCycleType lifeCycleType) {
        this.type = type;
        this.zone = zone;
        this.dates = dates;
        this.time = time;
        this.expireAt = expireAt;
        this.lifeCycleType = lifeCycleType;
    }

    static Schedule clock(ScheduledType type, ZoneId zone, DateRule dates, LocalTime time, Instant expireAt) {
        return new Schedule(type, zone, dates, Objects.requireNonNull(time), expireAt, null);
    }

    static Schedule lifeCycle(ZoneId zone, LifeCycleType lifeCycleType, Instant expireAt) {
        return new Schedule(ScheduledType.LIFE_CYCLE, zone, DateRule.NEVER, null, expireAt,
                Objects.requireNonNull(lifeCycleType));
    }

    public ScheduledType type() {
        return type;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The triggering event of a LIFE_CYCLE schedule; empty for clock schedules. */
    public Optional<LifeCycleType> lifeCycleType() {
        return Optional.ofNullable(lifeCycleType);
    }

    /** The instant of {@code expire_time}; nothing fires at or after it. */
    public Optional<Instant> expireAt() {
        return Optional.ofNullable(expireAt);
    }

    /** Whether the task has expired at {@code now}; also for LIFE_CYCLE tasks, whose events stop firing them. */
    public boolean isExpiredAt(Instant now) {
        return expireAt != null && !now.isBefore(expireAt);
    }

    /**
     * The first fire strictly after {@code after}, or empty if there is none (LIFE_CYCLE, a FIXED_TIME already
     * past, expired, or a MONTH rule no month can satisfy).
     */
    public Optional<Instant> nextFireAfter(Instant after) {
        // An earlier date cannot fire after `after`: by then the clock had already shown (or skipped past) its time.
        LocalDate from = after.atZone(zone).toLocalDate();
        while (true) {
            Optional<LocalDate> date = dates.firstOnOrAfter(from);
            if (date.isEmpty()) {
                return Optional.empty();
            }
            Instant fire = ScheduleTimes.toInstant(LocalDateTime.of(date.get(), time), zone);
            // Fires increase with their dates, so once one is expired all later ones are too.
            if (isExpiredAt(fire)) {
                return Optional.empty();
            }
            if (fire.isAfter(after)) {
                return Optional.of(fire);
            }
            from = date.get().plusDays(1);
        }
    }

    /** Up to {@code count} consecutive fires strictly after {@code after}, earliest first (fewer if the schedule ends). */
    public List<Instant> nextFires(Instant after, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        List<Instant> fires = new ArrayList<>(Math.min(count, 64));
        Instant cursor = after;
        while (fires.size() < count) {
            Optional<Instant> next = nextFireAfter(cursor);
            if (next.isEmpty()) {
                break;
            }
            fires.add(next.get());
            cursor = next.get();
        }
        return List.copyOf(fires);
    }

    /** {@code instant} as a contract {@code yyyy-MM-dd HH:mm:ss} string in this schedule's zone. */
    public String format(Instant instant) {
        return ScheduleTimes.format(instant, zone);
    }
}
