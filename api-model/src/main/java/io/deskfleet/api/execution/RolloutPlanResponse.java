package io.deskfleet.api.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * Response of an execution request with dry_run true (ours): the batches that would run, in order, and nothing
 * else happens. gray_fail_threshold is absent when there is no gray batch.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutPlanResponse(int targetCount, Integer grayFailThreshold, List<Batch> batches) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Batch(int executeOrder, List<String> desktopIds) {
    }
}
