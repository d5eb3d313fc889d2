package io.deskfleet.controlplane.execution;

/**
 * What starting an execution did: a task was stored and handed to the engine, or, for a dry run, only planned.
 * {@code offlineCount}: targets whose agent was not connected when it was planned.
 */
public sealed interface StartResult {

    int offlineCount();

    record Started(String taskId, int offlineCount) implements StartResult {
    }

    record Planned(RolloutPlan plan, int offlineCount) implements StartResult {
    }
}
