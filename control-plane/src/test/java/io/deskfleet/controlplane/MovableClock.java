package io.deskfleet.controlplane;

import io.deskfleet.controlplane.auth.ClockFactory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The control plane's clock in a test that sets {@value #ENABLED}: the system's time plus an offset the test moves
 * forward, so a deadline test jumps past a deadline instead of sleeping through it, while everything else still sees
 * time pass as usual. Replaces {@link ClockFactory}'s clock, so every bean that keeps time sees the jump.
 */
@Singleton
@Replaces(value = Clock.class, factory = ClockFactory.class)
@Requires(property = MovableClock.ENABLED, value = "true")
public class MovableClock extends Clock {
    public static final String ENABLED = "deskfleet.test.movable-clock";

    private final Clock system = Clock.systemUTC();
    private volatile Duration offset = Duration.ZERO;

    /** Moves the clock forward; deadlines that fall in between pass at the engine's next sweep. */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("a clock the control plane reads only moves forward");
        }
        synchronized (this) {
            offset = offset.plus(by);
        }
    }

    @Override
    public Instant instant() {
        return system.instant().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the control plane keeps time in UTC");
    }
}
