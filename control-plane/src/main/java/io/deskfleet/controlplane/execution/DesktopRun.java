package io.deskfleet.controlplane.execution;

import io.deskfleet.api.execution.RecordStatus;

/** One desktop's run within a {@link TaskProgress}: its step now and its overall status. */
final class DesktopRun {
    final ExecuteOrder order;
    int step;
    RecordStatus status = RecordStatus.WAITING;
    boolean cancelRequested;

    DesktopRun(ExecuteOrder order) {
        this.order = order;
    }
}
