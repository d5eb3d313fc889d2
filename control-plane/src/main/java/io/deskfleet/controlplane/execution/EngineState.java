package io.deskfleet.controlplane.execution;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the rollout engine knows between events: the tasks it runs, the commands in flight, and the records whose
 * outcome a deadline or a stop decided. Every processor reads and changes it on the engine's one loop thread, so
 * nothing here is shared between threads or locked.
 */
final class EngineState {
    private final Map<String, RunningTask> tasks = new HashMap<>();
    private final Map<String, InflightCommand> inflight = new HashMap<>();
    private final Map<String, Set<String>> inflightByDesktop = new HashMap<>();
    /** Records of running tasks whose outcome a deadline decided, by record id, until their task finishes. */
    private final Map<String, Provisional> provisional = new HashMap<>();

    /** A step whose outcome a deadline or a stop decided, in a task the engine still runs. */
    record Provisional(RunningTask task, String desktopId, int step) {
    }

    void run(RunningTask task) {
        tasks.put(task.id(), task);
    }

    /** The running task, or null when the engine does not run it (it has finished). */
    RunningTask task(String taskId) {
        return tasks.get(taskId);
    }

    /** The task is over: a late result of it is from now on recounted by the writer from the stored records. */
    void finished(RunningTask task) {
        tasks.remove(task.id());
        task.provisional.forEach(provisional::remove);
    }

    /**
     * Another replica runs the task now: everything about it is forgotten without a write (its writes would be
     * refused anyway), so its commands are neither re-sent nor timed out here.
     */
    void abandon(String taskId) {
        RunningTask task = tasks.remove(taskId);
        if (task == null) {
            return;
        }
        task.provisional.forEach(provisional::remove);
        for (InflightCommand command : List.copyOf(inflight.values())) {
            if (command.task == task) {
                forget(command);
            }
        }
    }

    /** Whether the invocation is one this engine runs or has decided provisionally. */
    boolean knows(String recordId) {
        return inflight.containsKey(recordId) || provisional.containsKey(recordId);
    }

    Collection<RunningTask> tasks() {
        return tasks.values();
    }

    void track(InflightCommand command) {
        inflight.put(command.recordId, command);
        inflightByDesktop.computeIfAbsent(command.desktopId, d -> new LinkedHashSet<>()).add(command.recordId);
    }

    /** The command in flight under this invocation id, or null. */
    InflightCommand inflight(String recordId) {
        return inflight.get(recordId);
    }

    Collection<InflightCommand> inflight() {
        return inflight.values();
    }

    /** Invocation ids in flight on this desktop, in dispatch order, or null when none is. */
    Set<String> inflightOn(String desktopId) {
        return inflightByDesktop.get(desktopId);
    }

    void forget(InflightCommand command) {
        inflight.remove(command.recordId);
        Set<String> ids = inflightByDesktop.get(command.desktopId);
        if (ids != null) {
            ids.remove(command.recordId);
            if (ids.isEmpty()) {
                inflightByDesktop.remove(command.desktopId);
            }
        }
    }

    /** A deadline or a stop decided this step's outcome: the agent's result may still replace it. */
    void remember(RunningTask task, String desktopId, int step) {
        String recordId = task.recordId(desktopId, step);
        provisional.put(recordId, new Provisional(task, desktopId, step));
        task.provisional.add(recordId);
    }

    /** The provisional outcome of this record in a running task, or null. */
    Provisional provisional(String recordId) {
        return provisional.get(recordId);
    }

    /** The agent's result replaced this provisional outcome. */
    void replaced(String recordId, Provisional decided) {
        provisional.remove(recordId);
        decided.task().provisional.remove(recordId);
    }
}
