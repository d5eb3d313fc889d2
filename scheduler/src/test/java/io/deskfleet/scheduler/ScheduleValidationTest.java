package io.deskfleet.scheduler;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleValidationTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static InvalidFieldException refused(Specs specs) {
        return assertThrows(InvalidFieldException.class, () -> ScheduleParser.parseRequest(specs.spec(), NOW));
    }

    private static void assertRefused(Specs specs, String field, String messagePart) {
        InvalidFieldException e = refused(specs);
        assertEquals(field, e.field());
        assertTrue(e.getMessage().startsWith(field), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    @Test
    void scheduledTypeIsRequired() {
        assertRefused(Specs.type(null), "scheduled_type", "required");
        assertRefused(Specs.type(" "), "scheduled_type", "required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HOURLY", "day", "Week"})
    void unknownScheduledTypeIsRefused(String type) {
        assertRefused(Specs.type(type), "scheduled_type", "'" + type + "' is unknown");
    }

    @Test
    void unknownTimeZoneIsRefused() {
        assertRefused(Specs.fixed("2026-05-01", "09:00:00").zone("Mars/Olympus_Mons"), "time_zone", "Mars/Olympus_Mons");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "8", "1,2,9", "99999999999"})
    void weekListOutsideOneToSevenIsRefused(String weekList) {
        assertRefused(Specs.week(weekList, "09:00:00"), "week_list", "out of range");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1,,2", "1,", ",1", "Mon", "1;2", "-1", "+1", "1.5"})
    void malformedWeekListIsRefused(String weekList) {
        InvalidFieldException e = refused(Specs.week(weekList, "09:00:00"));
        assertEquals("week_list", e.field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "13", "1,3,12,14"})
    void monthListOutsideOneToTwelveIsRefused(String monthList) {
        assertRefused(Specs.month(monthList, "1", "09:00:00"), "month_list", "out of range");
    }

    @Test
    void malformedMonthListIsRefused() {
        assertRefused(Specs.month("1,,3", "1", "09:00:00"), "month_list", "empty item");
        assertRefused(Specs.month("Jan", "1", "09:00:00"), "month_list", "not a number");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "32", "1,L,40"})
    void dateListOutsideOneToThirtyOneIsRefused(String dateList) {
        assertRefused(Specs.month("1", dateList, "09:00:00"), "date_list", "out of range");
    }

    @ParameterizedTest
    @ValueSource(strings = {"l", "LL", "last", "1,L,"})
    void dateListAcceptsOnlyNumbersAndUppercaseL(String dateList) {
        assertEquals("date_list", refused(Specs.month("1", dateList, "09:00:00")).field());
    }

    @Test
    void spacesAroundCommasAndDuplicatesAreAccepted() {
        Schedule schedule = ScheduleParser.parseRequest(Specs.month(" 1 , 1,2 ", "L, 1 ,L", "09:00:00").spec(), NOW);

        assertEquals(List.of(Instant.parse("2026-01-01T09:00:00Z"), Instant.parse("2026-01-31T09:00:00Z"),
                Instant.parse("2026-02-01T09:00:00Z"), Instant.parse("2026-02-28T09:00:00Z"),
                Instant.parse("2027-01-01T09:00:00Z")), schedule.nextFires(NOW, 5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30", "2026/05/01", "2026-5-1", "01-05-2026", "tomorrow"})
    void malformedScheduledDateIsRefused(String date) {
        assertRefused(Specs.fixed(date, "09:00:00"), "scheduled_date", "yyyy-MM-dd");
        assertRefused(Specs.day(1, date, "09:00:00"), "scheduled_date", "yyyy-MM-dd");
    }

    @ParameterizedTest
    @ValueSource(strings = {"24:00:00", "9:00:00", "09:00", "09:60:00", "09:00:00.5", "9am"})
    void malformedScheduledTimeIsRefused(String time) {
        assertRefused(Specs.week("1", time), "scheduled_time", "HH:mm:ss");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 32, -1})
    void dayIntervalOutsideOneToThirtyOneIsRefused(int interval) {
        assertRefused(Specs.day(interval, null, "09:00:00"), "day_interval", "between 1 and 31");
    }

    @Test
    void fixedTimeNotInTheFutureIsRefused() {
        assertRefused(Specs.fixed("2025-12-31", "23:59:59"), "scheduled_date", "not in the future");
        assertRefused(Specs.fixed("2026-01-01", "00:00:00"), "scheduled_date", "not in the future");
        // Shanghai is 8 hours ahead: 07:59:59 local there is still before NOW.
        assertRefused(Specs.fixed("2026-01-01", "07:59:59").zone("Asia/Shanghai"), "scheduled_date", "not in the future");
        ScheduleParser.parseRequest(Specs.fixed("2026-01-01", "08:00:01").zone("Asia/Shanghai").spec(), NOW);
    }

    @Test
    void fixedTimeAtOrAfterItsExpiryIsRefused() {
        assertRefused(Specs.fixed("2026-05-01", "09:00:00").expire("2026-05-01 09:00:00"), "scheduled_date", "expire_time");
    }

    @Test
    void storedFixedTimeInThePastStillLoads() {
        Schedule schedule = ScheduleParser.parseStored(Specs.fixed("2025-06-01", "09:00:00").spec(), NOW);

        assertTrue(schedule.nextFireAfter(NOW).isEmpty());
    }

    @Test
    void fieldsRequiredPerTypeAreRefusedWhenMissing() {
        assertRefused(Specs.fixed(null, "09:00:00"), "scheduled_date", "required when scheduled_type is FIXED_TIME");
        assertRefused(Specs.fixed("2026-05-01", null), "scheduled_time", "required when scheduled_type is FIXED_TIME");
        assertRefused(Specs.day(null, null, "09:00:00"), "day_interval", "required when scheduled_type is DAY");
        assertRefused(Specs.day(1, null, ""), "scheduled_time", "required when scheduled_type is DAY");
        assertRefused(Specs.week(null, "09:00:00"), "week_list", "required when scheduled_type is WEEK");
        assertRefused(Specs.week("", "09:00:00"), "week_list", "required when scheduled_type is WEEK");
        assertRefused(Specs.week("1", null), "scheduled_time", "required when scheduled_type is WEEK");
        assertRefused(Specs.month(null, "1", "09:00:00"), "month_list", "required when scheduled_type is MONTH");
        assertRefused(Specs.month("1", null, "09:00:00"), "date_list", "required when scheduled_type is MONTH");
        assertRefused(Specs.month("1", "1", null), "scheduled_time", "required when scheduled_type is MONTH");
    }

    @Test
    void lifeCycleNeedsAKnownLifeCycleType() {
        assertRefused(Specs.lifeCycle(null), "life_cycle_type", "required when scheduled_type is LIFE_CYCLE");
        assertRefused(Specs.lifeCycle("POST_DESKTOP_DELETED"), "life_cycle_type", "'POST_DESKTOP_DELETED' is unknown");
        for (LifeCycleType type : LifeCycleType.values()) {
            assertEquals(type, ScheduleParser.parseRequest(Specs.lifeCycle(type.name()).spec(), NOW).lifeCycleType().orElseThrow());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-31T09:00:00", "2026-12-31", "2026-13-01 00:00:00", "2026-12-31 9:00:00"})
    void malformedExpireTimeIsRefused(String expire) {
        assertRefused(Specs.week("1", "09:00:00").expire(expire), "expire_time", "yyyy-MM-dd HH:mm:ss");
        assertRefused(Specs.lifeCycle("POST_DESKTOP_DISCONNECTED").expire(expire), "expire_time", "yyyy-MM-dd HH:mm:ss");
    }

    @Test
    void fieldsTheTypeDoesNotUseAreIgnored() {
        Specs specs = Specs.fixed("2026-05-01", "09:00:00").weekList("not a week").lifeCycleType("string");

        Schedule schedule = ScheduleParser.parseRequest(specs.spec(), NOW);

        assertEquals(ScheduledType.FIXED_TIME, schedule.type());
        assertTrue(schedule.lifeCycleType().isEmpty());
    }
}
