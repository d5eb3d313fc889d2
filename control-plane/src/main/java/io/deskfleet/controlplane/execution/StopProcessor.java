package io.deskfleet.controlplane.execution;

import io.deskfleet.controlplane.refusal.Refused;

import java.util.concurrent.CompletableFuture;

/** A user's stop of a task, or of one desktop's run of it. Runs on the engine's loop. */
final class StopProcessor {
    private final EngineState state;
    private final ProgressApplier applier;

    StopProcessor(EngineState state, ProgressApplier applier) {
        this.state = state;
        this.applier = applier;
    }

    /**
     * @param desktopId the desktop whose run stops, or null for the whole task
     * @return completes once the cancelled records and the task's state are stored; null when the engine does not
     *         run that task (it has finished)
     * @throws Refused from {@link TaskProgress} when the task or that desktop's run is already over
     */
    CompletableFuture<Void> stop(String taskId, String desktopId) {
        RunningTask running = state.task(taskId);
        if (running == null) {
            return null;
        }
        return applier.apply(running,
                desktopId == null ? running.progress.stop() : running.progress.cancelDesktop(desktopId));
    }
}
