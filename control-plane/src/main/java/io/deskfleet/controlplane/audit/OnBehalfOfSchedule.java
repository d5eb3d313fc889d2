package io.deskfleet.controlplane.audit;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Marks the acts the control plane does for a scheduled task (a clock fire or a life-cycle trigger), so that code
 * deeper down the same thread, such as the approval gate, knows the requester is the system acting for that task
 * rather than an HTTP caller. A thread-local, because fires run synchronously on the schedule poller's thread.
 */
public final class OnBehalfOfSchedule {
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private OnBehalfOfSchedule() {
    }

    public static <T> T run(String scheduledTaskId, Supplier<T> act) {
        String previous = CURRENT.get();
        CURRENT.set(scheduledTaskId);
        try {
            return act.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** The scheduled task the current thread acts for, if any. */
    public static Optional<String> current() {
        return Optional.ofNullable(CURRENT.get());
    }
}
