package io.deskfleet.agent.link;

import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: exponential from {@code initialMillis}, capped at {@code maxMillis}, each drawn uniformly from
 * the upper half of its step so that 10,000 desktops dropped together do not come back in lockstep.
 */
public final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private final DoubleSupplier random;
    private int failures;

    public Backoff(long initialMillis, long maxMillis, DoubleSupplier random) {
        this.initialMillis = initialMillis;
        this.maxMillis = maxMillis;
        this.random = random;
    }

    public long nextDelayMillis() {
        long ceiling = initialMillis;
        for (int i = 0; i < failures && ceiling < maxMillis; i++) {
            ceiling *= 2;
        }
        ceiling = Math.min(ceiling, maxMillis);
        failures++;
        long half = ceiling / 2;
        return half + (long) (random.getAsDouble() * (ceiling - half));
    }

    public void reset() {
        failures = 0;
    }
}
