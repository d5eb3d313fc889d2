package io.deskfleet.controlplane.execution;

/**
 * A desktop an execution targets, as it was when the task was created. {@code online}: its agent was connected
 * (agent_online), which decides the gray batch (see {@link RolloutPlanner}).
 */
public record TargetDesktop(String id, String name, String status, boolean online) {

    /** SHUTOFF or HIBERNATED desktops run nothing until started. */
    public boolean isPoweredOff() {
        return "SHUTOFF".equals(status) || "HIBERNATED".equals(status);
    }
}
