package io.deskfleet.controlplane.auth;

import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.error.ErrorCode;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LoginThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(3, Duration.ofMinutes(1), clock);

    @Test
    void locksAPairOutAfterTheLimitUntilTheWindowPasses() {
        for (int i = 0; i < 3; i++) {
            assertDoesNotThrow(() -> throttle.check("Admin", "10.0.0.1"));
            throttle.failed("Admin", "10.0.0.1");
        }
        ApiException locked = assertThrows(ApiException.class, () -> throttle.check("admin", "10.0.0.1"));
        assertEquals(ErrorCode.TOO_MANY_REQUESTS, locked.errorCode());
        assertEquals(429, locked.httpStatus());
        assertDoesNotThrow(() -> throttle.check("admin", "10.0.0.2"), "another address is not locked out");
        assertDoesNotThrow(() -> throttle.check("operator", "10.0.0.1"), "another user is not locked out");

        clock.advance(Duration.ofSeconds(61));
        assertDoesNotThrow(() -> throttle.check("admin", "10.0.0.1"), "the lockout ends with its window");
    }

    @Test
    void aSuccessClearsEarlierFailuresAndOldFailuresExpire() {
        throttle.failed("admin", "a");
        throttle.failed("admin", "a");
        throttle.succeeded("admin", "a");
        throttle.failed("admin", "a");
        throttle.failed("admin", "a");
        assertDoesNotThrow(() -> throttle.check("admin", "a"));

        clock.advance(Duration.ofMinutes(2));
        throttle.failed("admin", "a");
        throttle.failed("admin", "a");
        assertDoesNotThrow(() -> throttle.check("admin", "a"), "failures of an expired window do not count");
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
