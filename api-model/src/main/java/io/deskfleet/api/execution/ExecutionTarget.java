package io.deskfleet.api.execution;

import java.util.List;

/** Which desktops a task runs on, before the control plane resolves it against the inventory. */
public sealed interface ExecutionTarget {

    /** A desktop pool; an empty desktopIds means every desktop of the pool, otherwise a subset of it. */
    record Pool(String poolId, List<String> desktopIds) implements ExecutionTarget {
        public Pool {
            desktopIds = List.copyOf(desktopIds);
        }
    }

    /** Explicit desktops (resource_ids of the generic endpoint). */
    record Desktops(List<String> desktopIds) implements ExecutionTarget {
        public Desktops {
            desktopIds = List.copyOf(desktopIds);
        }
    }

    /** Every desktop of the project carrying the tag key=value. */
    record Tag(String key, String value) implements ExecutionTarget {
    }
}
