package io.deskfleet.controlplane.execution;

import io.deskfleet.api.execution.TaskStatus;

import java.util.List;

/**
 * What the caller must do after feeding an event to {@link TaskProgress}: persist the changes, then send the
 * dispatches (RunCommand) and kills (CancelCommand).
 *
 * @param status   the task status after the event
 * @param finished true once no desktop runs or will run; the task's end_time
 * @param halted   true when this event halted the rollout (gray failures reached the threshold)
 */
public record ProgressUpdate(List<Dispatch> dispatches, List<String> kills, List<ClosedSteps> closed,
                             TaskStatus status, TaskCounts counts, boolean finished, boolean halted) {
    public ProgressUpdate {
        dispatches = List.copyOf(dispatches);
        kills = List.copyOf(kills);
        closed = List.copyOf(closed);
    }
}
