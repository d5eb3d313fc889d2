package io.deskfleet.controlplane.execution;

import io.deskfleet.api.execution.RecordStatus;

/**
 * The gray batch's threshold: counts the gray desktops that failed and says when they reach gray_fail_threshold,
 * which halts the rollout. Desktops of the other batches do not count.
 */
final class GrayGate {
    private final int threshold;
    private int failures;

    GrayGate(int threshold) {
        this.threshold = threshold;
    }

    /** A desktop ended with {@code outcome}; true when it is a gray failure that reaches the threshold. */
    boolean ended(ExecuteOrder order, RecordStatus outcome) {
        if (order != ExecuteOrder.GRAY || !outcome.isFailure()) {
            return false;
        }
        failures++;
        return failures >= threshold;
    }

    /** A late result turned a desktop's outcome from {@code replaced} to {@code now}; true as {@link #ended}. */
    boolean replaced(ExecuteOrder order, RecordStatus replaced, RecordStatus now) {
        if (order != ExecuteOrder.GRAY) {
            return false;
        }
        failures += (now.isFailure() ? 1 : 0) - (replaced.isFailure() ? 1 : 0);
        return now.isFailure() && failures >= threshold;
    }

    /** Why the rest of the rollout is skipped. */
    String haltReason() {
        return "gray batch: " + failures + " desktop(s) failed, reaching gray_fail_threshold " + threshold;
    }
}
