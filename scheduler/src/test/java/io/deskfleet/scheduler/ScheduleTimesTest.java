package io.deskfleet.scheduler;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ScheduleTimesTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void formatsAndParsesTheContractFormatInAZone() {
        Instant instant = Instant.parse("2026-07-04T16:05:09Z");

        assertEquals("2026-07-04 12:05:09", ScheduleTimes.format(instant, NEW_YORK));
        assertEquals(instant, ScheduleTimes.parse("2026-07-04 12:05:09", NEW_YORK, "expire_time"));
    }

    @Test
    void gapTimesMapToTheGapEndAndOverlapTimesToTheEarlierOccurrence() {
        assertEquals(Instant.parse("2026-03-08T07:00:00Z"), ScheduleTimes.toInstant(LocalDateTime.parse("2026-03-08T02:30:00"), NEW_YORK));
        assertEquals(Instant.parse("2026-11-01T05:30:00Z"), ScheduleTimes.toInstant(LocalDateTime.parse("2026-11-01T01:30:00"), NEW_YORK));
    }

    @Test
    void malformedTextNamesTheField() {
        InvalidFieldException e = assertThrows(InvalidFieldException.class,
                () -> ScheduleTimes.parse("2026-02-29 00:00:00", NEW_YORK, "expire_time"));

        assertEquals("expire_time", e.field());
    }

    @Test
    void zoneDefaultsToUtcAndRefusesUnknownIds() {
        assertEquals(ZoneOffset.UTC, ScheduleTimes.zone(null));
        assertEquals(ZoneOffset.UTC, ScheduleTimes.zone(""));
        assertEquals(ZoneId.of("Asia/Shanghai"), ScheduleTimes.zone("Asia/Shanghai"));
        assertEquals("time_zone", assertThrows(InvalidFieldException.class, () -> ScheduleTimes.zone("Asia/Atlantis")).field());
    }
}
