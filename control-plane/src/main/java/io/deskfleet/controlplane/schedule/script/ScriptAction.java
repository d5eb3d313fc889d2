package io.deskfleet.controlplane.schedule.script;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.api.execution.ExecutionPayload;
import io.deskfleet.api.script.ScriptDefinition;
import io.deskfleet.api.script.ScriptType;
import io.deskfleet.api.validation.Fields;
import io.deskfleet.controlplane.refusal.Refusal;

import java.util.ArrayList;
import java.util.List;

/**
 * What an EXECUTE_SCRIPT task runs, read from its {@code extra_params}: {@code script_ids} (stored scripts, in
 * order) or {@code command_content} with {@code command_type}, and {@code execution_timeout} (minutes per script,
 * 1-600, default 1) as in the execution endpoints.
 */
public record ScriptAction(ExecutionPayload payload, int executionTimeoutMinutes) {

    /** Reads the action from extra_params (null when absent); every refusal names extra_params. */
    public static ScriptAction parse(JsonNode extraParams) {
        if (extraParams == null) {
            throw invalid("extra_params: is required for EXECUTE_SCRIPT (script_ids or command_content)");
        }
        return new ScriptAction(payload(extraParams), timeout(extraParams.get("execution_timeout")));
    }

    private static ExecutionPayload payload(JsonNode root) {
        JsonNode scripts = root.get("script_ids");
        JsonNode command = root.get("command_content");
        if ((scripts == null) == (command == null)) {
            throw invalid("extra_params: needs exactly one of script_ids and command_content");
        }
        if (scripts != null) {
            if (!scripts.isArray() || scripts.isEmpty()) {
                throw invalid("extra_params: script_ids must be a non-empty array of script ids");
            }
            List<String> ids = new ArrayList<>();
            for (JsonNode id : scripts) {
                if (!id.isTextual()) {
                    throw invalid("extra_params: script_ids must contain strings");
                }
                ids.add(id.asText());
            }
            return new ExecutionPayload.Scripts(Fields.ids("extra_params: script_ids", ids));
        }
        if (!command.isTextual()) {
            throw invalid("extra_params: command_content must be a string");
        }
        JsonNode type = root.get("command_type");
        if (type == null || !type.isTextual()) {
            throw invalid("extra_params: command_type (SHELL, POWERSHELL or BAT) is required with command_content");
        }
        String content = Fields.requiredText("extra_params: command_content", command.asText(),
                ScriptDefinition.MAX_CONTENT);
        return new ExecutionPayload.Command(ScriptType.parse("extra_params: command_type", type.asText()), content);
    }

    private static int timeout(JsonNode value) {
        if (value == null) {
            return 1;
        }
        if (!value.isInt() || value.asInt() < 1 || value.asInt() > 600) {
            throw invalid("extra_params: execution_timeout must be an integer from 1 to 600 (minutes)");
        }
        return value.asInt();
    }

    private static RuntimeException invalid(String message) {
        return Refusal.invalid(message).asException();
    }
}
