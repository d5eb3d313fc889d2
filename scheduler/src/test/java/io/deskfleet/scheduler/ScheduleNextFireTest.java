package io.deskfleet.scheduler;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleNextFireTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    /** The next fires after a local time, as contract strings in the schedule's zone. */
    private static List<String> firesAfter(Schedule schedule, String localAfter, int count) {
        Instant after = ScheduleTimes.parse(localAfter, schedule.zone(), "test");
        return schedule.nextFires(after, count).stream().map(schedule::format).toList();
    }

    private static List<String> expected(String joined) {
        return Arrays.asList(joined.split("\\|"));
    }

    @Test
    void fixedTimeFiresOnceAtItsLocalTime() {
        Schedule schedule = Specs.fixed("2026-05-01", "09:00:00").zone("Asia/Shanghai").build();

        List<Instant> fires = schedule.nextFires(Instant.parse("2026-04-01T00:00:00Z"), 5);

        assertEquals(List.of(Instant.parse("2026-05-01T01:00:00Z")), fires);
        assertTrue(schedule.nextFireAfter(fires.get(0)).isEmpty());
        assertEquals(fires.get(0), schedule.nextFireAfter(fires.get(0).minusSeconds(1)).orElseThrow());
    }

    @ParameterizedTest(name = "every {0} days from {1} at {2}, after {3}")
    @CsvSource({
            "1,  2026-01-01, 09:00:00, 2026-01-01 08:59:59, 2026-01-01 09:00:00|2026-01-02 09:00:00|2026-01-03 09:00:00",
            "1,  2026-01-01, 09:00:00, 2026-01-01 09:00:00, 2026-01-02 09:00:00|2026-01-03 09:00:00|2026-01-04 09:00:00",
            "3,  2026-01-30, 06:30:00, 2026-01-29 00:00:00, 2026-01-30 06:30:00|2026-02-02 06:30:00|2026-02-05 06:30:00",
            "10, 2026-12-25, 23:00:00, 2026-12-26 00:00:00, 2027-01-04 23:00:00|2027-01-14 23:00:00|2027-01-24 23:00:00",
            "31, 2028-01-29, 12:00:00, 2028-01-01 00:00:00, 2028-01-29 12:00:00|2028-02-29 12:00:00|2028-03-31 12:00:00",
            "7,  2026-03-01, 00:00:00, 2026-03-20 12:00:00, 2026-03-22 00:00:00|2026-03-29 00:00:00|2026-04-05 00:00:00",
            "2,  2026-06-01, 23:59:59, 2026-01-01 00:00:00, 2026-06-01 23:59:59|2026-06-03 23:59:59|2026-06-05 23:59:59",
            "30, 2026-12-01, 08:00:00, 2027-02-15 00:00:00, 2027-03-01 08:00:00|2027-03-31 08:00:00|2027-04-30 08:00:00",
    })
    void dayIntervalCountsFromTheAnchorDate(int interval, String anchor, String time, String after, String fires) {
        Schedule schedule = Specs.day(interval, anchor, time).zone("Asia/Shanghai").build();

        assertEquals(expected(fires), firesAfter(schedule, after, 3));
    }

    @Test
    void dayWithoutScheduledDateIsAnchoredOnTheCreationDateInTheTaskZone() {
        // 20:00 UTC on 31 January is already 1 February in Shanghai.
        Instant created = Instant.parse("2026-01-31T20:00:00Z");
        Schedule schedule = ScheduleParser.parseRequest(Specs.day(2, null, "08:00:00").zone("Asia/Shanghai").spec(), created);

        assertEquals(List.of("2026-02-01 08:00:00", "2026-02-03 08:00:00", "2026-02-05 08:00:00"),
                schedule.nextFires(created, 3).stream().map(schedule::format).toList());
    }

    @ParameterizedTest(name = "week_list {0} at {1}, after {2}")
    @CsvSource(delimiter = ';', value = {
            // 2026-05-06 is a Wednesday.
            "1,2,7; 12:00:00; 2026-05-06 12:00:00; 2026-05-09 12:00:00|2026-05-10 12:00:00|2026-05-11 12:00:00|2026-05-16 12:00:00",
            "4; 10:00:00; 2026-05-06 10:00:00; 2026-05-13 10:00:00|2026-05-20 10:00:00|2026-05-27 10:00:00|2026-06-03 10:00:00",
            "4; 10:00:00; 2026-05-06 09:59:59; 2026-05-06 10:00:00|2026-05-13 10:00:00|2026-05-20 10:00:00|2026-05-27 10:00:00",
            " 3 , 3 ; 07:00:00; 2026-05-06 00:00:00; 2026-05-12 07:00:00|2026-05-19 07:00:00|2026-05-26 07:00:00|2026-06-02 07:00:00",
            "6; 18:00:00; 2026-12-28 00:00:00; 2027-01-01 18:00:00|2027-01-08 18:00:00|2027-01-15 18:00:00|2027-01-22 18:00:00",
            "1,2,3,4,5,6,7; 00:00:00; 2026-02-27 00:00:00; 2026-02-28 00:00:00|2026-03-01 00:00:00|2026-03-02 00:00:00|2026-03-03 00:00:00",
    })
    void weekListUsesSundayAsOne(String weekList, String time, String after, String fires) {
        Schedule schedule = Specs.week(weekList, time).zone("Asia/Shanghai").build();

        assertEquals(expected(fires), firesAfter(schedule, after, 4));
    }

    @ParameterizedTest(name = "months {0}, dates {1}, after {2}")
    @CsvSource(delimiter = ';', value = {
            "1,3,12; 1,2,28,L; 2026-01-27 00:00:00; 2026-01-28 09:00:00|2026-01-31 09:00:00|2026-03-01 09:00:00|2026-03-02 09:00:00|2026-03-28 09:00:00|2026-03-31 09:00:00|2026-12-01 09:00:00",
            // L in 31-, 28- and 30-day months.
            "2,4,1; L; 2026-01-01 00:00:00; 2026-01-31 09:00:00|2026-02-28 09:00:00|2026-04-30 09:00:00|2027-01-31 09:00:00|2027-02-28 09:00:00|2027-04-30 09:00:00|2028-01-31 09:00:00",
            // L in a leap February.
            "2,4; L; 2028-01-31 12:00:00; 2028-02-29 09:00:00|2028-04-30 09:00:00|2029-02-28 09:00:00|2029-04-30 09:00:00|2030-02-28 09:00:00|2030-04-30 09:00:00|2031-02-28 09:00:00",
            // 31 is skipped in months without one.
            "1,2,3,4,5,6; 31; 2026-01-01 00:00:00; 2026-01-31 09:00:00|2026-03-31 09:00:00|2026-05-31 09:00:00|2027-01-31 09:00:00|2027-03-31 09:00:00|2027-05-31 09:00:00|2028-01-31 09:00:00",
            "2,3; 30; 2026-01-01 00:00:00; 2026-03-30 09:00:00|2027-03-30 09:00:00|2028-03-30 09:00:00|2029-03-30 09:00:00|2030-03-30 09:00:00|2031-03-30 09:00:00|2032-03-30 09:00:00",
            // 29 February only exists in leap years; 2100 is not one.
            "2; 29; 2026-01-01 00:00:00; 2028-02-29 09:00:00|2032-02-29 09:00:00|2036-02-29 09:00:00|2040-02-29 09:00:00|2044-02-29 09:00:00|2048-02-29 09:00:00|2052-02-29 09:00:00",
            "2; 29; 2096-03-01 00:00:00; 2104-02-29 09:00:00|2108-02-29 09:00:00|2112-02-29 09:00:00|2116-02-29 09:00:00|2120-02-29 09:00:00|2124-02-29 09:00:00|2128-02-29 09:00:00",
            // 31 and L name the same day of a 31-day month: it fires once.
            "1,4; 31,L; 2026-01-01 00:00:00; 2026-01-31 09:00:00|2026-04-30 09:00:00|2027-01-31 09:00:00|2027-04-30 09:00:00|2028-01-31 09:00:00|2028-04-30 09:00:00|2029-01-31 09:00:00",
            "12; 31; 2026-12-31 09:00:00; 2027-12-31 09:00:00|2028-12-31 09:00:00|2029-12-31 09:00:00|2030-12-31 09:00:00|2031-12-31 09:00:00|2032-12-31 09:00:00|2033-12-31 09:00:00",
    })
    void monthListSkipsDatesAMonthLacks(String months, String dates, String after, String fires) {
        Schedule schedule = Specs.month(months, dates, "09:00:00").zone("Asia/Shanghai").build();

        assertEquals(expected(fires), firesAfter(schedule, after, 7));
    }

    @ParameterizedTest(name = "months {0}, dates {1} never fire")
    @CsvSource(delimiter = ';', value = {"2; 31", "2; 30,31", "4,6,9,11; 31"})
    void monthRuleThatNoMonthSatisfiesNeverFires(String months, String dates) {
        Schedule schedule = Specs.month(months, dates, "09:00:00").build();

        assertTrue(schedule.nextFireAfter(Instant.parse("2026-01-01T00:00:00Z")).isEmpty());
        assertEquals(List.of(), schedule.nextFires(Instant.parse("2026-01-01T00:00:00Z"), 10));
    }

    @Test
    void lifeCycleNeverFiresByTheClock() {
        Schedule schedule = Specs.lifeCycle("POST_DESKTOP_DISCONNECTED").build();

        assertEquals(ScheduledType.LIFE_CYCLE, schedule.type());
        assertEquals(LifeCycleType.POST_DESKTOP_DISCONNECTED, schedule.lifeCycleType().orElseThrow());
        assertTrue(schedule.nextFireAfter(Instant.parse("2026-01-01T00:00:00Z")).isEmpty());
    }

    @Test
    void noFireAtOrAfterExpireTime() {
        Schedule atExpiry = Specs.day(1, "2026-01-01", "09:00:00").zone("Asia/Shanghai").expire("2026-01-03 09:00:00").build();
        Schedule justAfter = Specs.day(1, "2026-01-01", "09:00:00").zone("Asia/Shanghai").expire("2026-01-03 09:00:01").build();

        assertEquals(List.of("2026-01-01 09:00:00", "2026-01-02 09:00:00"), firesAfter(atExpiry, "2026-01-01 00:00:00", 10));
        assertEquals(List.of("2026-01-01 09:00:00", "2026-01-02 09:00:00", "2026-01-03 09:00:00"),
                firesAfter(justAfter, "2026-01-01 00:00:00", 10));
    }

    @Test
    void expireTimeIsLocalToTheTaskZone() {
        Schedule schedule = Specs.week("1,2,3,4,5,6,7", "09:00:00").zone("Asia/Shanghai").expire("2026-01-02 00:00:00").build();

        assertEquals(Instant.parse("2026-01-01T16:00:00Z"), schedule.expireAt().orElseThrow());
        assertFalse(schedule.isExpiredAt(Instant.parse("2026-01-01T15:59:59Z")));
        assertTrue(schedule.isExpiredAt(Instant.parse("2026-01-01T16:00:00Z")));
        assertEquals(List.of("2026-01-01 09:00:00"), firesAfter(schedule, "2025-12-31 09:00:00", 10));
    }

    @Test
    void fixedTimeAfterItsExpiryNeverFires() {
        Schedule schedule = Specs.fixed("2026-05-01", "09:00:00").expire("2026-04-30 00:00:00").build();

        assertTrue(schedule.nextFireAfter(Instant.parse("2026-01-01T00:00:00Z")).isEmpty());
    }

    @Test
    void lifeCycleTaskExpires() {
        Schedule schedule = Specs.lifeCycle("POST_CREATE_DESKTOP_SUCCESS").zone("Asia/Shanghai").expire("2026-06-01 00:00:00").build();

        assertFalse(schedule.isExpiredAt(Instant.parse("2026-05-31T15:59:59Z")));
        assertTrue(schedule.isExpiredAt(Instant.parse("2026-05-31T16:00:00Z")));
    }

    @Test
    void nextFiresReturnsNoneForCountZeroAndRefusesANegativeCount() {
        Schedule schedule = Specs.day(1, "2026-01-01", "09:00:00").build();

        assertEquals(List.of(), schedule.nextFires(Instant.parse("2026-01-01T00:00:00Z"), 0));
        assertThrows(IllegalArgumentException.class, () -> schedule.nextFires(Instant.EPOCH, -1));
    }

    @Test
    void timeZoneDefaultsToUtc() {
        Schedule schedule = Specs.fixed("2026-05-01", "09:00:00").build();

        assertEquals(Instant.parse("2026-05-01T09:00:00Z"), schedule.nextFireAfter(Instant.EPOCH).orElseThrow());
        assertEquals("2026-05-01 09:00:00", schedule.format(Instant.parse("2026-05-01T09:00:00Z")));
    }

    @Test
    void fireTimesAreFormattedInTheTaskZone() {
        assertEquals("2026-05-01 09:00:00", ScheduleTimes.format(Instant.parse("2026-05-01T01:00:00Z"), SHANGHAI));
    }
}
