package io.deskfleet.controlplane.execution;

/** A desktop an execution targets, as it was when the task was created. */
public record TargetDesktop(String id, String name, String status) {

    /** SHUTOFF or HIBERNATED desktops run nothing until started. */
    public boolean isPoweredOff() {
        return "SHUTOFF".equals(status) || "HIBERNATED".equals(status);
    }
}
