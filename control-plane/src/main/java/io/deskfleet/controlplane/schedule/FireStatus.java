package io.deskfleet.controlplane.schedule;

/** Status of one fire (a record) and the task's {@code last_status}. */
public enum FireStatus {
    SUCCESS, SKIP, FAIL,
    /**
     * Ours, on records only: claimed and being dispatched (milliseconds). A record still RUNNING when the control
     * plane starts was interrupted by a crash and becomes FAIL; its fire is not run again.
     */
    RUNNING
}
