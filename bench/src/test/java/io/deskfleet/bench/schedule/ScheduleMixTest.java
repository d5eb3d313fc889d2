package io.deskfleet.bench.schedule;

import io.deskfleet.scheduler.Schedule;
import io.deskfleet.scheduler.ScheduleParser;
import io.deskfleet.scheduler.ScheduleSpec;
import io.deskfleet.scheduler.ScheduledType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleMixTest {
    private static final Instant ANCHOR = Instant.parse("2026-11-23T12:00:00Z");
    private static final int COUNT = 20_000;

    @Test
    void everyScheduleIsValidAndHasANextFireWithinItsLongestGap() {
        for (int i = 0; i < COUNT; i++) {
            ScheduleSpec spec = ScheduleMix.spec(i);
            Schedule schedule = ScheduleParser.parseStored(spec, ANCHOR);
            Instant next = schedule.nextFireAfter(ANCHOR).orElseThrow(() -> new AssertionError(spec + " never fires"));
            assertTrue(next.isAfter(ANCHOR), spec + " fires at " + next);
            // The sparsest rule is one month a year (or a 7-day interval from an anchor in the past).
            assertTrue(next.isBefore(ANCHOR.plusSeconds(367L * 86_400)), spec + " fires at " + next);
        }
    }

    @Test
    void mixesDayWeekAndMonthInEqualShares() {
        Map<ScheduledType, Integer> types = new EnumMap<>(ScheduledType.class);
        for (int i = 0; i < 3_000; i++) {
            types.merge(ScheduledType.valueOf(ScheduleMix.spec(i).scheduledType()), 1, Integer::sum);
        }
        assertEquals(Map.of(ScheduledType.DAY, 1_000, ScheduledType.WEEK, 1_000, ScheduledType.MONTH, 1_000), types);
    }

    @Test
    void usesTheLastDayOfTheMonthEveryZoneAndZonesWithDaylightSaving() {
        boolean lastDay = false;
        Set<String> zones = new HashSet<>();
        Set<String> times = new HashSet<>();
        for (int i = 0; i < COUNT; i++) {
            ScheduleSpec spec = ScheduleMix.spec(i);
            lastDay |= spec.dateList() != null && spec.dateList().contains("L");
            zones.add(spec.timeZone());
            times.add(spec.scheduledTime());
        }
        assertTrue(lastDay);
        assertEquals(Set.copyOf(ScheduleMix.ZONES), zones);
        long withDst = zones.stream().filter(z -> !ZoneId.of(z).getRules().isFixedOffset()).count();
        assertTrue(withDst >= 5, "zones with daylight saving: " + withDst);
        assertTrue(times.size() > COUNT / 2, "distinct times of day: " + times.size());
    }

    @Test
    void theSameIndexGivesTheSameSchedule() {
        assertEquals(ScheduleMix.spec(12_345), ScheduleMix.spec(12_345));
        assertFalse(ScheduleMix.spec(12_345).equals(ScheduleMix.spec(12_348)));
    }

    @Test
    void listHasTheNumbersOfTheSetBits() {
        assertEquals("1,3", ScheduleMix.list(5, 7));
        assertEquals("1,2,3,4,5,6,7", ScheduleMix.list(127, 7));
        assertEquals("12", ScheduleMix.list(1 << 11, 12));
    }
}
