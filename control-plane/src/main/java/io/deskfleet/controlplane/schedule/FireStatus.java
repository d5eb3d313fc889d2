package io.deskfleet.controlplane.schedule;

/** Status of one fire (a record) and the task's {@code last_status}. */
public enum FireStatus {
    SUCCESS, SKIP, FAIL,
    /**
     * Ours, on records only: claimed and being dispatched (milliseconds), or, for a fire that started an execution,
     * while the execution runs. Any other fire still RUNNING when the control plane starts was interrupted by a crash
     * and becomes FAIL; it is not run again. An execution resumes after a restart and settles its fire's record.
     */
    RUNNING
}
