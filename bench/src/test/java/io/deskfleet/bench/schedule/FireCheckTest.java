package io.deskfleet.bench.schedule;

import io.deskfleet.bench.schedule.FireCheck.Expected;
import io.deskfleet.bench.schedule.FireCheck.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FireCheckTest {
    private static final Instant AT = Instant.parse("2026-11-23T12:30:00Z");

    @Test
    void latenessIsTheRecordStartTimeInUtcMinusTheScheduledInstant() {
        assertEquals(0.0, FireCheck.latenessSeconds(AT, "2026-11-23 12:30:00"));
        assertEquals(2.0, FireCheck.latenessSeconds(AT, "2026-11-23 12:30:02"));
        assertEquals(3_601.0, FireCheck.latenessSeconds(AT, "2026-11-23 13:30:01"));
        assertEquals(-1.0, FireCheck.latenessSeconds(AT, "2026-11-23 12:29:59"));
    }

    @Test
    void aTaskWithoutARecordOrWithTwoIsAFailureAndHasNoLateness() {
        List<Expected> expected = List.of(new Expected("once", AT), new Expected("never", AT),
                new Expected("twice", AT.plusSeconds(1)));
        Outcome outcome = FireCheck.evaluate(expected, Map.of(
                "once", List.of("2026-11-23 12:30:01"),
                "twice", List.of("2026-11-23 12:30:02", "2026-11-23 12:30:01")));
        assertEquals(1, outcome.firedOnce());
        assertEquals(List.of(1.0), outcome.latenessSeconds());
        assertEquals(2, outcome.failures().size());
        assertTrue(outcome.failures().get(0).startsWith("task never "), outcome.failures().get(0));
        assertTrue(outcome.failures().get(1).contains("has 2 records"), outcome.failures().get(1));
    }

    @Test
    void plannedFiresSpreadEvenlyOverTheWindowInWholeSeconds() {
        Instant start = Instant.parse("2026-11-23T12:30:00.700Z");
        List<Instant> fires = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            fires.add(FireCheck.plannedFire(start, Duration.ofSeconds(20), 1_000, i));
        }
        assertEquals(Instant.parse("2026-11-23T12:30:00Z"), fires.get(0));
        assertEquals(Instant.parse("2026-11-23T12:30:20Z"), fires.get(999));
        for (int s = 0; s <= 20; s++) {
            Instant second = Instant.parse("2026-11-23T12:30:00Z").plusSeconds(s);
            long count = fires.stream().filter(second::equals).count();
            assertTrue(count >= 15 && count <= 50, second + " has " + count + " fires");
        }
    }
}
