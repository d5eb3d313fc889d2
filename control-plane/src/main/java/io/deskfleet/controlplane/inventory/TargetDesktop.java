package io.deskfleet.controlplane.inventory;

/**
 * A desktop an execution or a scheduled task targets, as it was when it was resolved ({@link TargetResolver}).
 * {@code online}: its agent was connected (agent_online), which decides the gray batch (see
 * {@code execution.RolloutPlanner}).
 */
public record TargetDesktop(String id, String name, String status, boolean online) {

    /** SHUTOFF or HIBERNATED desktops run nothing until started. */
    public boolean isPoweredOff() {
        return "SHUTOFF".equals(status) || "HIBERNATED".equals(status);
    }
}
