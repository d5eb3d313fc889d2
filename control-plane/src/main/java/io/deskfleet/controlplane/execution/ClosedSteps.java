package io.deskfleet.controlplane.execution;

import io.deskfleet.api.execution.RecordStatus;

import java.util.List;

/**
 * Every record of these desktops that has not started (still WAITING) becomes {@code status} with {@code reason}.
 * Lets the caller settle thousands of records with one batched update.
 */
public record ClosedSteps(RecordStatus status, String reason, List<String> desktopIds) {
    public ClosedSteps {
        desktopIds = List.copyOf(desktopIds);
    }
}
