package io.deskfleet.controlplane.agentlink;

import java.time.Duration;

/**
 * Decides whether a registration may wait for its turn, from how long the ones before it will take: the pending
 * count times the measured time per registration. A registration expected to be stored within the longest wait
 * (and within half of what is left of its caller's deadline) is admitted; any other is shed with a retry hint of
 * the time the pending ones need, so a herd comes back when there is room instead of after a guess.
 * <p>
 * The time per registration follows the batches actually written (a moving average), so the admitted queue grows
 * when batching makes registrations cheap and shrinks when the disk or the CPU is slow. Not thread-safe for the
 * estimate's writer: {@link #served} is called by the one writer thread; readers may see a slightly old value.
 */
final class RegistrationAdmission {
    /** Before the first batch: a commit on a slow disk, so a cold control plane does not over-admit. */
    static final long INITIAL_NANOS_PER_REGISTRATION = Duration.ofMillis(2).toNanos();
    /** Agents count a hint only up to their backoff's cap (io.deskfleet.link.Backoff). */
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);
    private static final double WEIGHT_OF_A_BATCH = 0.2;

    private final Duration maxWait;
    private final Duration minRetryAfter;
    private volatile long nanosPerRegistration = INITIAL_NANOS_PER_REGISTRATION;

    RegistrationAdmission(Duration maxWait, Duration minRetryAfter) {
        this.maxWait = maxWait;
        this.minRetryAfter = minRetryAfter;
    }

    /**
     * @param pending                registrations admitted and not yet answered
     * @param deadlineRemainingNanos what is left of the caller's deadline; {@code Long.MAX_VALUE} if it set none
     */
    boolean admits(int pending, long deadlineRemainingNanos) {
        long wait = expectedWaitNanos(pending);
        return wait <= maxWait.toNanos() && wait <= deadlineRemainingNanos / 2;
    }

    /** The hint for a shed caller: when the pending registrations should be stored, within the agents' bounds. */
    Duration retryAfter(int pending) {
        Duration drained = Duration.ofNanos(expectedWaitNanos(pending));
        if (drained.compareTo(minRetryAfter) < 0) {
            return minRetryAfter;
        }
        return drained.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : drained;
    }

    /** A batch of {@code count} registrations took {@code nanos} from its start to its answers. */
    void served(int count, long nanos) {
        if (count > 0) {
            long sample = Math.max(1, nanos / count);
            nanosPerRegistration = (long) (nanosPerRegistration * (1 - WEIGHT_OF_A_BATCH) + sample * WEIGHT_OF_A_BATCH);
        }
    }

    long nanosPerRegistration() {
        return nanosPerRegistration;
    }

    private long expectedWaitNanos(int pending) {
        return (long) Math.min(Long.MAX_VALUE, (double) pending * nanosPerRegistration);
    }
}
