package io.deskfleet.controlplane.schedule.script;

import io.deskfleet.api.execution.ExecutionPayload;
import io.deskfleet.controlplane.schedule.ExtraParams;
import io.deskfleet.controlplane.schedule.Refusals;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ScriptActionTest {

    private static ScriptAction parse(String extraParams) {
        return ScriptAction.parse(ExtraParams.parse(extraParams));
    }

    @Test
    void scriptActionsComeFromExtraParams() {
        ScriptAction scripts = parse("{\"script_ids\":[\"s1\",\"s2\"],\"execution_timeout\":5}");
        assertEquals(List.of("s1", "s2"), ((ExecutionPayload.Scripts) scripts.payload()).scriptIds());
        assertEquals(5, scripts.executionTimeoutMinutes());
        ScriptAction command = parse("{\"command_content\":\"echo hi\",\"command_type\":\"SHELL\"}");
        assertEquals("echo hi", ((ExecutionPayload.Command) command.payload()).content());
        assertEquals(1, command.executionTimeoutMinutes());
    }

    @Test
    void everyRefusalNamesExtraParams() {
        for (String bad : new String[]{null, "[]", "{}", "{\"script_ids\":[]}",
                "{\"script_ids\":[\"a\"],\"command_content\":\"x\",\"command_type\":\"SHELL\"}",
                "{\"command_content\":\"x\"}", "{\"script_ids\":[\"a\"],\"execution_timeout\":601}",
                "{\"script_ids\":[1]}", "{\"script_ids\":[\"a\",\"a\"]}"}) {
            Refusals.assertInvalid("extra_params", () -> parse(bad));
        }
        assertEquals("extra_params: is required for EXECUTE_SCRIPT (script_ids or command_content)",
                Refusals.assertInvalid("extra_params", () -> parse(null)));
    }
}
