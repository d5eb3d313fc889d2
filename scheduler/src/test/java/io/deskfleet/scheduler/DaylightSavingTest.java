package io.deskfleet.scheduler;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A local fire time skipped by a spring-forward gap fires once, at the instant the gap ends; a local fire time that
 * occurs twice in a fall-back overlap fires once, at its earlier occurrence.
 */
class DaylightSavingTest {

    /** Daily fires from the day before the transition to the day after, as UTC instants. */
    private static List<Instant> threeDailyFires(String zone, String transitionDay, String time) {
        LocalDate day = LocalDate.parse(transitionDay);
        Schedule schedule = Specs.day(1, day.minusDays(1).toString(), time).zone(zone).build();
        Instant wellBefore = day.minusDays(3).atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
        return schedule.nextFires(wellBefore, 3);
    }

    @ParameterizedTest(name = "{0}: {2} on {1} is skipped, fires at {4}")
    @CsvSource({
            // zone,               gap day,    time,     day before,           gap end (fire),       day after
            "America/New_York,    2026-03-08, 02:30:00, 2026-03-07T07:30:00Z, 2026-03-08T07:00:00Z, 2026-03-09T06:30:00Z",
            "America/New_York,    2026-03-08, 02:00:00, 2026-03-07T07:00:00Z, 2026-03-08T07:00:00Z, 2026-03-09T06:00:00Z",
            "America/New_York,    2027-03-14, 02:59:59, 2027-03-13T07:59:59Z, 2027-03-14T07:00:00Z, 2027-03-15T06:59:59Z",
            "Europe/London,       2026-03-29, 01:30:00, 2026-03-28T01:30:00Z, 2026-03-29T01:00:00Z, 2026-03-30T00:30:00Z",
            "Europe/London,       2027-03-28, 01:00:00, 2027-03-27T01:00:00Z, 2027-03-28T01:00:00Z, 2027-03-29T00:00:00Z",
            // Lord Howe moves its clocks by 30 minutes: 02:00 -> 02:30 (+10:30 -> +11:00).
            "Australia/Lord_Howe, 2026-10-04, 02:15:00, 2026-10-02T15:45:00Z, 2026-10-03T15:30:00Z, 2026-10-04T15:15:00Z",
            "Australia/Lord_Howe, 2027-10-03, 02:00:00, 2027-10-01T15:30:00Z, 2027-10-02T15:30:00Z, 2027-10-03T15:00:00Z",
    })
    void timeInASpringForwardGapFiresOnceWhenTheGapEnds(String zone, String day, String time, Instant before,
                                                        Instant gapEnd, Instant after) {
        assertEquals(List.of(before, gapEnd, after), threeDailyFires(zone, day, time));
    }

    @ParameterizedTest(name = "{0}: {2} on {1} exists twice, fires once at {4}")
    @CsvSource({
            // zone,               overlap day, time,     day before,           earlier occurrence,   day after
            "America/New_York,    2026-11-01, 01:30:00, 2026-10-31T05:30:00Z, 2026-11-01T05:30:00Z, 2026-11-02T06:30:00Z",
            "America/New_York,    2027-11-07, 01:00:00, 2027-11-06T05:00:00Z, 2027-11-07T05:00:00Z, 2027-11-08T06:00:00Z",
            "Europe/London,       2026-10-25, 01:30:00, 2026-10-24T00:30:00Z, 2026-10-25T00:30:00Z, 2026-10-26T01:30:00Z",
            "Europe/London,       2027-10-31, 01:59:59, 2027-10-30T00:59:59Z, 2027-10-31T00:59:59Z, 2027-11-01T01:59:59Z",
            // Lord Howe: 02:00 -> 01:30 (+11:00 -> +10:30).
            "Australia/Lord_Howe, 2026-04-05, 01:45:00, 2026-04-03T14:45:00Z, 2026-04-04T14:45:00Z, 2026-04-05T15:15:00Z",
            "Australia/Lord_Howe, 2027-04-04, 01:30:00, 2027-04-02T14:30:00Z, 2027-04-03T14:30:00Z, 2027-04-04T15:00:00Z",
    })
    void timeInAFallBackOverlapFiresOnceAtTheEarlierOccurrence(String zone, String day, String time, Instant before,
                                                               Instant earlier, Instant after) {
        assertEquals(List.of(before, earlier, after), threeDailyFires(zone, day, time));
    }

    @Test
    void askingFromTheFirstOccurrenceOfAnOverlapDoesNotFireAtTheSecond() {
        Schedule schedule = Specs.day(1, "2026-10-31", "01:30:00").zone("America/New_York").build();

        // 05:30Z is 01:30 EDT; 06:30Z (01:30 EST, the second occurrence) must not fire.
        assertEquals(Instant.parse("2026-11-02T06:30:00Z"),
                schedule.nextFireAfter(Instant.parse("2026-11-01T05:30:00Z")).orElseThrow());
        assertEquals(Instant.parse("2026-11-02T06:30:00Z"),
                schedule.nextFireAfter(Instant.parse("2026-11-01T06:00:00Z")).orElseThrow());
    }

    @Test
    void gapFireIsFormattedAsTheLocalTimeItActuallyRuns() {
        Schedule schedule = Specs.week("1", "02:30:00").zone("America/New_York").build();

        Instant fire = schedule.nextFireAfter(Instant.parse("2026-03-02T00:00:00Z")).orElseThrow();

        assertEquals("2026-03-08 03:00:00", schedule.format(fire));
    }

    @Test
    void fixedTimeAndMonthRulesResolveGapsTheSameWay() {
        Schedule fixed = Specs.fixed("2026-03-29", "01:15:00").zone("Europe/London").build();
        Schedule monthly = Specs.month("3", "29", "01:15:00").zone("Europe/London").build();
        Instant from = Instant.parse("2026-01-01T00:00:00Z");

        assertEquals(Instant.parse("2026-03-29T01:00:00Z"), fixed.nextFireAfter(from).orElseThrow());
        assertEquals(Instant.parse("2026-03-29T01:00:00Z"), monthly.nextFireAfter(from).orElseThrow());
    }

    @Test
    void aWholeSkippedDayFiresOnceAtTheStartOfTheNextDay() {
        // Samoa skipped 30 December 2011 when it moved from UTC-10 to UTC+14.
        Schedule schedule = Specs.day(1, "2011-12-28", "12:00:00").zone("Pacific/Apia").build();

        assertEquals(List.of(
                        Instant.parse("2011-12-29T22:00:00Z"),
                        Instant.parse("2011-12-30T10:00:00Z"),
                        Instant.parse("2011-12-30T22:00:00Z")),
                schedule.nextFires(Instant.parse("2011-12-29T00:00:00Z"), 3));
    }

    @Test
    void expireTimeInAGapIsTheGapEnd() {
        Schedule schedule = Specs.day(1, "2026-03-01", "03:00:00").zone("America/New_York").expire("2026-03-08 02:30:00").build();

        // 03:00 EDT on the 8th is exactly the expiry instant, so it does not fire.
        assertEquals(Instant.parse("2026-03-08T07:00:00Z"), schedule.expireAt().orElseThrow());
        assertEquals(List.of(Instant.parse("2026-03-07T08:00:00Z")), schedule.nextFires(Instant.parse("2026-03-07T00:00:00Z"), 5));
    }
}
