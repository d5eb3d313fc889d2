package io.deskfleet.controlplane.execution;

import java.util.List;

/**
 * The batches of a task, in the order they run. A gray batch, when present, is first; it is followed by non-gray
 * batches sized by max_concurrency. Without a gray batch the batches are DEFAULT (execute_order 0).
 *
 * @param grayFailThreshold gray failures that halt the task; 0 when there is no gray batch
 */
public record RolloutPlan(int targetCount, int grayFailThreshold, List<Batch> batches) {

    public record Batch(ExecuteOrder order, List<String> desktopIds) {
        public Batch {
            desktopIds = List.copyOf(desktopIds);
        }
    }

    public RolloutPlan {
        batches = List.copyOf(batches);
    }

    public boolean hasGrayBatch() {
        return !batches.isEmpty() && batches.get(0).order() == ExecuteOrder.GRAY;
    }
}
