package io.deskfleet.scheduler;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** DAY: {@code anchor}, {@code anchor + interval}, {@code anchor + 2 * interval}, ... and nothing before the anchor. */
record DayIntervalRule(LocalDate anchor, int interval) implements DateRule {
    @Override
    public Optional<LocalDate> firstOnOrAfter(LocalDate from) {
        if (!from.isAfter(anchor)) {
            return Optional.of(anchor);
        }
        long days = ChronoUnit.DAYS.between(anchor, from);
        long steps = (days + interval - 1) / interval;
        return Optional.of(anchor.plusDays(steps * interval));
    }
}
