package io.deskfleet.api.execution;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.validation.Fields;

import java.util.List;

/**
 * Body of POST /v2/{project_id}/script-executions, plus our max_concurrency and dry_run. resource_ids,
 * gray_resource_ids and script_ids accept plain strings or, as in the contract page's example, objects
 * {"resource_id": ...} / {"script_id": ...}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ScriptExecutionRequest(String resourceType,
                                     @JsonDeserialize(using = IdListDeserializer.ResourceIds.class)
                                     List<String> resourceIds,
                                     @JsonDeserialize(using = IdListDeserializer.GrayResourceIds.class)
                                     List<String> grayResourceIds,
                                     Integer grayCount, Integer grayFailThreshold,
                                     @JsonDeserialize(using = IdListDeserializer.ScriptIds.class)
                                     List<String> scriptIds,
                                     Integer executionTimeout,
                                     @JsonDeserialize(using = CountOrPercentDeserializer.class) String maxConcurrency,
                                     Boolean dryRun) {

    public ExecutionRequest validate() {
        if (resourceType != null && !resourceType.trim().equalsIgnoreCase("DESKTOP")) {
            throw ApiException.invalid("resource_type: must be DESKTOP, got '" + resourceType + "'");
        }
        List<String> desktops = Fields.ids("resource_ids", resourceIds);
        if (desktops.isEmpty()) {
            throw ApiException.invalid("resource_ids: is required");
        }
        List<String> scripts = Fields.ids("script_ids", scriptIds);
        if (scripts.isEmpty()) {
            throw ApiException.invalid("script_ids: is required");
        }
        return new ExecutionRequest(
                new ExecutionTarget.Desktops(desktops),
                new ExecutionPayload.Scripts(scripts),
                ExecutionFieldRules.gray("gray_resource_ids", grayCount, grayResourceIds, grayFailThreshold),
                ExecutionFieldRules.timeout(executionTimeout),
                PreStart.NONE,
                PostFinish.NONE,
                MaxConcurrency.parse(maxConcurrency),
                Boolean.TRUE.equals(dryRun));
    }
}
