package io.deskfleet.api.execution;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deskfleet.api.validation.Fields;

import java.util.List;

/**
 * Body of POST /v2/{project_id}/desktop-pools/{pool_id}/script-executions: the contract page's fields plus
 * desktop_ids (a subset of the pool) and our max_concurrency and dry_run.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DesktopPoolExecutionRequest(List<String> scriptIds, Integer grayCount, List<String> grayDesktopIds,
                                          Integer grayFailThreshold, String preStart, String postFinish,
                                          String commandContent, String commandType, Integer executionTimeout,
                                          List<String> desktopIds,
                                          @JsonDeserialize(using = CountOrPercentDeserializer.class) String maxConcurrency,
                                          Boolean dryRun) {

    public ExecutionRequest validate(String poolId) {
        return new ExecutionRequest(
                new ExecutionTarget.Pool(poolId, Fields.ids("desktop_ids", desktopIds)),
                ExecutionFieldRules.payload(scriptIds, commandContent, commandType),
                ExecutionFieldRules.gray("gray_desktop_ids", grayCount, grayDesktopIds, grayFailThreshold),
                ExecutionFieldRules.timeout(executionTimeout),
                PreStart.parse("pre_start", preStart),
                PostFinish.parse("post_finish", postFinish),
                MaxConcurrency.parse(maxConcurrency),
                Boolean.TRUE.equals(dryRun));
    }
}
