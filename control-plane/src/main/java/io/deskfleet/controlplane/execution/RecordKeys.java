package io.deskfleet.controlplane.execution;

import java.util.HashMap;
import java.util.Map;

/**
 * The numbers of one task's records ({@code execution_records.record_key}, the key of their outcomes; see
 * V42__numbered_records.sql). A desktop's steps have consecutive numbers, so the task keeps one number per desktop.
 */
final class RecordKeys {
    private final Map<String, Long> firstKeys;

    private RecordKeys(Map<String, Long> firstKeys) {
        this.firstKeys = firstKeys;
    }

    /** Numbers from {@code base} on, in plan order: each desktop of each batch, its steps next to each other. */
    static RecordKeys assign(long base, RolloutPlan plan, int steps) {
        Map<String, Long> firstKeys = new HashMap<>(plan.targetCount() * 2);
        long next = base;
        for (RolloutPlan.Batch batch : plan.batches()) {
            for (String desktopId : batch.desktopIds()) {
                firstKeys.put(desktopId, next);
                next += steps;
            }
        }
        return new RecordKeys(firstKeys);
    }

    /** The numbers stored with a task's records: its desktops' first steps. */
    static RecordKeys stored(Map<String, Long> firstKeys) {
        return new RecordKeys(Map.copyOf(firstKeys));
    }

    long of(String desktopId, int step) {
        Long first = firstKeys.get(desktopId);
        if (first == null) {
            throw new IllegalArgumentException("desktop " + desktopId + " is not a target of this task");
        }
        return first + step;
    }
}
