package io.deskfleet.controlplane.execution;

import java.time.Instant;

/** One step of one desktop that has been dispatched and has no result yet. Touched on the engine's loop only. */
final class InflightCommand {
    final RunningTask task;
    final String desktopId;
    final int step;
    final String recordId;
    final long recordKey;
    final Instant deliveryDeadline;
    boolean sent;
    boolean started;
    /** Stopped: a cancel, not the command, is what the desktop gets when it connects. */
    boolean cancelRequested;
    /** Re-attached after a restart: the previous process may have delivered it, so a stop must cancel it. */
    boolean maybeDelivered;
    Instant startedAt;
    Instant resultDeadline;

    InflightCommand(RunningTask task, String desktopId, int step, Instant deliveryDeadline) {
        this.task = task;
        this.desktopId = desktopId;
        this.step = step;
        this.recordKey = task.keys.of(desktopId, step);
        this.recordId = task.definition.recordId(desktopId, step, recordKey);
        this.deliveryDeadline = deliveryDeadline;
    }

    /** The desktop started it at {@code startedAt}; from now on its result is due by {@code resultDeadline}. */
    void started(Instant startedAt, Instant resultDeadline) {
        this.started = true;
        this.startedAt = startedAt;
        this.resultDeadline = resultDeadline;
    }
}
