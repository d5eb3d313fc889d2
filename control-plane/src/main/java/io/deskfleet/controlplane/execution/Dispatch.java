package io.deskfleet.controlplane.execution;

/** Send step {@code step} (0-based index into the task's scripts; 0 for a command) to a desktop now. */
public record Dispatch(String desktopId, int step, ExecuteOrder order) {
}
