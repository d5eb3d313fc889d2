package io.deskfleet.api.execution;

import java.util.List;

/** The gray (canary) batch requested, with the number of gray failures that halts the task. */
public sealed interface GraySpec {

    /** No gray batch: every target runs in one rollout (execute_order 0). */
    record None() implements GraySpec {
    }

    /** The first {@code count} targets (in the caller's deterministic order) form the gray batch. */
    record Count(int count, int failThreshold) implements GraySpec {
    }

    /**
     * These desktops form the gray batch. {@code field} is the request field they came from (gray_desktop_ids or
     * gray_resource_ids), so an error about them names the field the client sent.
     */
    record Desktops(String field, List<String> desktopIds, int failThreshold) implements GraySpec {
        public Desktops {
            desktopIds = List.copyOf(desktopIds);
        }
    }
}
