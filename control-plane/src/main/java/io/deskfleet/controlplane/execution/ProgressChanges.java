package io.deskfleet.controlplane.execution;

import io.deskfleet.api.execution.RecordStatus;
import io.deskfleet.api.execution.TaskStatus;

import java.util.ArrayList;
import java.util.List;

/** What one event of a {@link TaskProgress} changed, gathered while it is handled, then made a ProgressUpdate. */
final class ProgressChanges {
    final List<Dispatch> dispatches = new ArrayList<>();
    final List<String> kills = new ArrayList<>();
    final List<ClosedSteps> closed = new ArrayList<>();
    boolean halted;

    void close(RecordStatus to, String reason, List<String> desktopIds) {
        closed.add(new ClosedSteps(to, reason, desktopIds));
    }

    ProgressUpdate toUpdate(TaskStatus status, TaskCounts counts, boolean finished) {
        return new ProgressUpdate(dispatches, kills, closed, status, counts, finished, halted);
    }
}
