package io.deskfleet.api.script;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** One entry of GET /v2/{project_id}/scripts. Times are ISO-8601 UTC ({@code Instant.toString()}). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScriptSummary(String id, String name, String description, ScriptType type, String version,
                            String createTime, String updateTime) {
}
