package io.deskfleet.api.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * Response of an execution request with dry_run true (ours): the batches that would run, in order, and nothing
 * else happens. gray_fail_threshold is absent when there is no gray batch. offline_target_count: target desktops
 * with no agent connected now (they go to the last batches, and into the gray batch only when too few are online).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutPlanResponse(int targetCount, int offlineTargetCount, Integer grayFailThreshold,
                                  List<Batch> batches) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Batch(int executeOrder, List<String> desktopIds) {
    }
}
