package io.deskfleet.controlplane.execution;

import io.deskfleet.api.execution.RecordStatus;

/**
 * The running counts of a {@link TaskProgress}: each desktop that has ended counts once, by its overall status, as
 * {@link TaskCounts} says. A late result moves a desktop from one count to another.
 */
final class DesktopCounts {
    private int successNum;
    private int failedNum;
    private int skipNum;

    /** Adds {@code delta} to the count a desktop's terminal status falls in. */
    void add(RecordStatus outcome, int delta) {
        if (outcome == RecordStatus.SUCCESS) {
            successNum += delta;
        } else if (outcome.isFailure()) {
            failedNum += delta;
        } else {
            skipNum += delta;
        }
    }

    /** A desktop that never ran: SKIPPED or CANCELLED. */
    void skipped() {
        skipNum++;
    }

    boolean anySucceeded() {
        return successNum > 0;
    }

    boolean anyFailed() {
        return failedNum > 0;
    }

    TaskCounts snapshot() {
        return new TaskCounts(successNum, failedNum, skipNum);
    }
}
