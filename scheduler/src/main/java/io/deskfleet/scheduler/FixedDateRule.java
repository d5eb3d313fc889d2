package io.deskfleet.scheduler;

import java.time.LocalDate;
import java.util.Optional;

/** FIXED_TIME: one date. */
record FixedDateRule(LocalDate date) implements DateRule {
    @Override
    public Optional<LocalDate> firstOnOrAfter(LocalDate from) {
        return date.isBefore(from) ? Optional.empty() : Optional.of(date);
    }
}
