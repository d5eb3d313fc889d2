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
    void latenessIsTheRecordStartMinusTheScheduledInstantInMilliseconds() {
        Outcome outcome = FireCheck.evaluate(
                List.of(new Expected("on-time", AT), new Expected("late", AT), new Expected("early", AT)),
                Map.of("on-time", List.of(AT),
                        "late", List.of(Instant.parse("2026-11-23T12:30:01.234567Z")),
                        "early", List.of(Instant.parse("2026-11-23T12:29:59.5Z"))));
        assertEquals(List.of(0.0, 1234.567, -500.0), outcome.latenessMs());
        assertEquals(List.of(), outcome.failures());
    }

    @Test
    void aTaskWithoutARecordOrWithTwoIsAFailureAndHasNoLateness() {
        List<Expected> expected = List.of(new Expected("once", AT), new Expected("never", AT),
                new Expected("twice", AT.plusSeconds(1)));
        Outcome outcome = FireCheck.evaluate(expected, Map.of(
                "once", List.of(AT.plusSeconds(1)),
                "twice", List.of(AT.plusSeconds(2), AT.plusSeconds(1))));
        assertEquals(1, outcome.firedOnce());
        assertEquals(List.of(1000.0), outcome.latenessMs());
        assertEquals(2, outcome.failures().size());
        assertTrue(outcome.failures().get(0).startsWith("task never "), outcome.failures().get(0));
        assertTrue(outcome.failures().get(1).contains("has 2 records"), outcome.failures().get(1));
    }

    @Test
    void aContractStartTimeOfAUtcTaskIsThatSecondInUtc() {
        assertEquals(Instant.parse("2026-11-23T13:30:01Z"), FireCheck.parseUtc("2026-11-23 13:30:01"));
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
