package io.deskfleet.scheduler;

import java.time.LocalDate;
import java.util.Optional;

/** Which local dates a schedule fires on. Implementations jump straight to the answer instead of scanning days. */
@FunctionalInterface
interface DateRule {
    DateRule NEVER = from -> Optional.empty();

    /** The first firing date on or after {@code from}, or empty if the rule never fires again. */
    Optional<LocalDate> firstOnOrAfter(LocalDate from);
}
