package io.deskfleet.api.script;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.validation.Fields;

import static io.deskfleet.api.script.ScriptDefinition.MAX_CONTENT;
import static io.deskfleet.api.script.ScriptDefinition.MAX_DESCRIPTION;
import static io.deskfleet.api.script.ScriptDefinition.MAX_NAME;
import static io.deskfleet.api.script.ScriptDefinition.MAX_VERSION;

/**
 * Body of PUT /v2/{project_id}/scripts/{script_id}. A full replacement: an absent description or version clears it.
 * {@code type} is not part of the contract's body; it is read only to refuse a request that tries to change it.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UpdateScriptRequest(String name, String type, String content, String description, String version) {

    /** @param storedType the type of the script being updated; it never changes */
    public ScriptDefinition validate(ScriptType storedType) {
        String validName = Fields.requiredText("name", name, MAX_NAME);
        if (type != null && ScriptType.parse("type", type) != storedType) {
            throw ApiException.invalid("type: cannot be changed (the script is " + storedType + ")");
        }
        return new ScriptDefinition(validName, storedType, Fields.requiredText("content", content, MAX_CONTENT),
                ScriptTexts.optional("description", description, MAX_DESCRIPTION),
                ScriptTexts.optional("version", version, MAX_VERSION));
    }
}
