package io.deskfleet.controlplane.agentlink;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RepeatedLogTest {
    private Instant now = Instant.parse("2026-12-05T12:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void theFirstIsLoggedRepeatsAreCountedAndTheNextAfterTheIntervalCarriesTheCount() {
        RepeatedLog log = new RepeatedLog(clock, Duration.ofMinutes(1), 10);
        assertEquals(0, log.admit("garbage"));
        for (int i = 0; i < 1_000; i++) {
            assertEquals(-1, log.admit("garbage"));
        }
        assertEquals(0, log.admit("another kind"));
        now = now.plusSeconds(60);
        assertEquals(1_000, log.admit("garbage"));
        assertEquals(" (1000 more like it not logged in the 60 s before)", log.repeats(1_000));
        assertEquals(-1, log.admit("garbage"));
    }

    @Test
    void kindsBeyondTheLimitShareOneEntry() {
        RepeatedLog log = new RepeatedLog(clock, Duration.ofMinutes(1), 3);
        assertEquals(0, log.admit("a"));
        assertEquals(0, log.admit("b"));
        assertEquals(0, log.admit("c"));
        assertEquals(-1, log.admit("d"), "c took the shared entry");
        assertEquals(-1, log.admit("e"));
    }
}
