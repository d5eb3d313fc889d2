package io.deskfleet.api.script;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Response of GET /v2/{project_id}/scripts/{script_id}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScriptDetail(String id, String name, String description, ScriptType type, String version,
                           String createTime, String updateTime, String content) {
}
