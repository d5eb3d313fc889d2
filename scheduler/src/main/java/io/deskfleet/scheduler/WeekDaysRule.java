package io.deskfleet.scheduler;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;

/** WEEK: the given days of the week. */
record WeekDaysRule(Set<DayOfWeek> days) implements DateRule {
    WeekDaysRule {
        if (days.isEmpty()) {
            throw new IllegalArgumentException("a week rule needs at least one day");
        }
        days = Set.copyOf(days);
    }

    @Override
    public Optional<LocalDate> firstOnOrAfter(LocalDate from) {
        LocalDate date = from;
        while (!days.contains(date.getDayOfWeek())) {
            date = date.plusDays(1);
        }
        return Optional.of(date);
    }
}
