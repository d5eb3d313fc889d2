package io.deskfleet.agent.execution;

import java.util.List;
import java.util.stream.Collectors;

/** Kills a process together with everything it started. */
final class ProcessTrees {
    private ProcessTrees() {
    }

    /**
     * Descendants are snapshotted before anything dies: once the parent is gone its children are reparented and
     * can no longer be found from it.
     */
    static void destroyForcibly(ProcessHandle root) {
        List<ProcessHandle> descendants = root.descendants().collect(Collectors.toList());
        descendants.forEach(ProcessHandle::destroyForcibly);
        root.destroyForcibly();
    }
}
