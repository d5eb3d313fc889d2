package io.deskfleet.scheduler;

import java.time.LocalDate;
import java.time.Month;
import java.time.YearMonth;
import java.util.BitSet;
import java.util.Optional;
import java.util.Set;

/** MONTH: the given days (and/or the last day) of the given months; a day a month lacks is skipped in that month. */
final class MonthDaysRule implements DateRule {
    /*
     * Any month/day combination that can ever fire does so within 8 years: the only day that is not in every year
     * is 29 February, and leap years are at most 8 years apart (2096 -> 2104). Searching 9 years of months is
     * therefore exhaustive, and rules that can never fire (e.g. 30 February) stop after 108 cheap steps.
     */
    private static final int MONTHS_SEARCHED = 12 * 9;

    private final Set<Month> months;
    private final BitSet days;
    private final boolean lastDay;

    MonthDaysRule(Set<Month> months, Set<Integer> days, boolean lastDay) {
        if (months.isEmpty() || (days.isEmpty() && !lastDay)) {
            throw new IllegalArgumentException("a month rule needs at least one month and one day");
        }
        this.months = Set.copyOf(months);
        this.days = new BitSet(32);
        days.forEach(this.days::set);
        this.lastDay = lastDay;
    }

    @Override
    public Optional<LocalDate> firstOnOrAfter(LocalDate from) {
        YearMonth start = YearMonth.from(from);
        for (int i = 0; i < MONTHS_SEARCHED; i++) {
            YearMonth month = start.plusMonths(i);
            if (!months.contains(month.getMonth())) {
                continue;
            }
            int firstDay = i == 0 ? from.getDayOfMonth() : 1;
            int length = month.lengthOfMonth();
            int day = days.nextSetBit(firstDay);
            if (day != -1 && day <= length) {
                return Optional.of(month.atDay(day));
            }
            if (lastDay && firstDay <= length) {
                return Optional.of(month.atEndOfMonth());
            }
        }
        return Optional.empty();
    }
}
