package io.deskfleet.controlplane.execution;

import io.deskfleet.controlplane.inventory.TargetDesktop;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** A task the rollout engine runs: what it is, its state machine, its targets. Touched on the engine's loop only. */
final class RunningTask {
    final TaskDefinition definition;
    final TaskProgress progress;
    final Map<String, TargetDesktop> targets;
    final RecordKeys keys;
    /** Its entries in {@link EngineState}'s provisional records, removed with the task. */
    final Set<String> provisional = new HashSet<>();

    RunningTask(TaskDefinition definition, TaskProgress progress, Map<String, TargetDesktop> targets,
                RecordKeys keys) {
        this.definition = definition;
        this.progress = progress;
        this.targets = targets;
        this.keys = keys;
    }

    String id() {
        return definition.id();
    }

    String recordId(String desktopId, int step) {
        return definition.recordId(desktopId, step, keys.of(desktopId, step));
    }

    Duration executionTimeout() {
        return Duration.ofMinutes(definition.executionTimeoutMinutes());
    }
}
