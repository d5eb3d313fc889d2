package io.deskfleet.api.script;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.validation.Fields;

import static io.deskfleet.api.script.ScriptDefinition.MAX_CONTENT;
import static io.deskfleet.api.script.ScriptDefinition.MAX_DESCRIPTION;
import static io.deskfleet.api.script.ScriptDefinition.MAX_NAME;
import static io.deskfleet.api.script.ScriptDefinition.MAX_VERSION;

/** Body of POST /v2/{project_id}/scripts. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CreateScriptRequest(String name, String type, String content, String description, String version) {

    public ScriptDefinition validate() {
        String validName = Fields.requiredText("name", name, MAX_NAME);
        if (type == null) {
            throw ApiException.invalid("type: is required");
        }
        ScriptType validType = ScriptType.parse("type", type);
        return new ScriptDefinition(validName, validType, Fields.requiredText("content", content, MAX_CONTENT),
                ScriptTexts.optional("description", description, MAX_DESCRIPTION),
                ScriptTexts.optional("version", version, MAX_VERSION));
    }
}
