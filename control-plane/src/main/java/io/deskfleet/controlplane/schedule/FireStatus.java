package io.deskfleet.controlplane.schedule;

/** Status of one fire (a record) and the task's {@code last_status}. */
public enum FireStatus {
    SUCCESS, SKIP, FAIL,
    /**
     * Ours, on records only: claimed and being dispatched (milliseconds), or, for a script fire, while its execution
     * runs. A power fire still RUNNING when the control plane starts was interrupted by a crash and becomes FAIL;
     * its fire is not run again. A script fire's execution resumes after a restart and settles the record.
     */
    RUNNING
}
