package io.deskfleet.link;

import java.util.OptionalLong;
import java.util.function.DoubleSupplier;

/**
 * Retry delays towards the control plane: exponential from {@code initialMillis}, capped at {@code maxMillis}, each
 * drawn uniformly from the upper half of its step so that 10,000 desktops dropped together do not come back in
 * lockstep. Shared by the agent and the bench's simulated agents, so the bench measures the real retry behaviour.
 */
public final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private final DoubleSupplier random;
    private int failures;

    /** Register: 0.5 s doubling to 30 s; a registration herd spreads out over the cap. */
    public static Backoff forRegistration(DoubleSupplier random) {
        return new Backoff(500, 30_000, random);
    }

    /** The Connect stream's first delay. */
    public static final long STREAM_INITIAL_MILLIS = 200;
    /** The Connect stream's cap: an agent is back within 5 s of its control plane. */
    public static final long STREAM_MAX_MILLIS = 5_000;

    /**
     * With several control plane addresses, a Connect attempt without a Welcome within this long counts as failed
     * and the next goes to the next address: as long as Register may take, since a live control plane under a herd
     * answers within it.
     */
    public static final long STREAM_WELCOME_TIMEOUT_MILLIS = 10_000;

    /** The Connect stream: 0.2 s doubling to 5 s, so an agent is back within 5 s of its control plane. */
    public static Backoff forStream(DoubleSupplier random) {
        return new Backoff(STREAM_INITIAL_MILLIS, STREAM_MAX_MILLIS, random);
    }

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

    /**
     * The next delay, but no shorter than the server's retry hint: a shedding control plane says how long it needs,
     * and the hint is spread over up to half as much again so that the agents it turned away together do not return
     * together. The hint counts only up to {@code maxMillis}: a proxy's hint of an hour must not park a desktop.
     */
    public long nextDelayMillis(OptionalLong serverHintMillis) {
        long own = nextDelayMillis();
        if (serverHintMillis.isEmpty()) {
            return own;
        }
        long hint = Math.min(serverHintMillis.getAsLong(), maxMillis);
        return Math.max(own, hint + (long) (random.getAsDouble() * hint / 2));
    }

    public void reset() {
        failures = 0;
    }
}
