package io.deskfleet.controlplane.agentlink;

import java.time.Duration;

/**
 * Decides whether a call may wait for its turn in a queue, from how long the ones before it will take: the pending
 * count times the measured time per item. A call expected to be served within the longest wait (and within half of
 * what is left of its caller's deadline) is admitted; any other is shed with a retry hint of the time the pending
 * ones need, so a herd comes back when there is room instead of after a guess. Used for registrations
 * ({@link RegistrationQueue}) and for Hellos ({@link HelloAdmission}).
 * <p>
 * The time per item follows what was actually served (a moving average), so the admitted queue grows when batching
 * makes items cheap and shrinks when the disk or the CPU is slow. The estimate is a plain volatile: two threads
 * serving at once may lose one of their samples, which only slows the average down.
 */
final class QueueAdmission {
    /** Before the first sample: a commit on a slow disk, so a cold control plane does not over-admit. */
    static final long INITIAL_NANOS_PER_ITEM = Duration.ofMillis(2).toNanos();
    /** Agents count a hint only up to their backoff's cap (io.deskfleet.link.Backoff). */
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);
    private static final double WEIGHT_OF_A_BATCH = 0.2;

    private final Duration maxWait;
    private final Duration minRetryAfter;
    private volatile long nanosPerItem = INITIAL_NANOS_PER_ITEM;

    QueueAdmission(Duration maxWait, Duration minRetryAfter) {
        this.maxWait = maxWait;
        this.minRetryAfter = minRetryAfter;
    }

    /**
     * @param pending                calls admitted and not yet answered
     * @param deadlineRemainingNanos what is left of the caller's deadline; {@code Long.MAX_VALUE} if it set none
     */
    boolean admits(int pending, long deadlineRemainingNanos) {
        long wait = expectedWaitNanos(pending);
        return wait <= maxWait.toNanos() && wait <= deadlineRemainingNanos / 2;
    }

    /** The hint for a shed caller: when the pending calls should be served, within the agents' bounds. */
    Duration retryAfter(int pending) {
        Duration drained = Duration.ofNanos(expectedWaitNanos(pending));
        if (drained.compareTo(minRetryAfter) < 0) {
            return minRetryAfter;
        }
        return drained.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : drained;
    }

    /** {@code count} items took {@code nanos} to serve (a batch from its start to its answers, say). */
    void served(int count, long nanos) {
        if (count > 0) {
            long sample = Math.max(1, nanos / count);
            nanosPerItem = (long) (nanosPerItem * (1 - WEIGHT_OF_A_BATCH) + sample * WEIGHT_OF_A_BATCH);
        }
    }

    long nanosPerItem() {
        return nanosPerItem;
    }

    private long expectedWaitNanos(int pending) {
        return (long) Math.min(Long.MAX_VALUE, (double) pending * nanosPerItem);
    }
}
