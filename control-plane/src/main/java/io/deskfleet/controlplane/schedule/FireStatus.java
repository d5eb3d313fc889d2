package io.deskfleet.controlplane.schedule;

/** Status of one fire (a record) and the task's {@code last_status}. */
public enum FireStatus {
    SUCCESS, SKIP, FAIL
}
