package io.deskfleet.agent.execution;

import java.time.Duration;
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
    static List<ProcessHandle> destroyForcibly(ProcessHandle root) {
        List<ProcessHandle> tree = root.descendants().collect(Collectors.toList());
        tree.add(root);
        tree.forEach(ProcessHandle::destroyForcibly);
        return tree;
    }

    /**
     * SIGKILL is asynchronous: waits until the processes have really exited, so that a TIMED_OUT or CANCELLED result
     * means nothing of the command is still running on the desktop.
     */
    static void awaitGone(List<ProcessHandle> processes, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        for (ProcessHandle process : processes) {
            while (process.isAlive() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
