package io.deskfleet.api.script;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScriptRequestsTest {
    private final ObjectMapper json = new ObjectMapper();

    private CreateScriptRequest create(String body) throws Exception {
        return json.readValue(body, CreateScriptRequest.class);
    }

    @Test
    void validCreateIsNormalized() throws Exception {
        ScriptDefinition script = create("""
                {"name": "cleanup", "type": "powershell", "content": "Remove-Item C:\\\\tmp\\\\*",
                 "description": "", "version": "1.2"}""").validate();
        assertEquals(new ScriptDefinition("cleanup", ScriptType.POWERSHELL, "Remove-Item C:\\tmp\\*", null, "1.2"),
                script);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"type\": \"SHELL\", \"content\": \"ls\"}                          | name: is required",
            "{\"name\": \" \", \"type\": \"SHELL\", \"content\": \"ls\"}          | name: must not be empty",
            "{\"name\": \"a\", \"content\": \"ls\"}                               | type: is required",
            "{\"name\": \"a\", \"type\": \"PYTHON\", \"content\": \"ls\"}         | type: must be one of POWERSHELL, BAT, SHELL",
            "{\"name\": \"a\", \"type\": \"SHELL\"}                               | content: is required",
            "{\"name\": \"a\", \"type\": \"SHELL\", \"content\": \"\"}            | content: must not be empty",
    })
    void createRejects(String body, String message) throws Exception {
        ApiException e = assertThrows(ApiException.class, () -> create(body).validate());
        assertEquals(ErrorCode.INVALID_PARAMETER, e.errorCode());
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void lengthLimits() {
        String name65 = "n".repeat(65);
        assertMessage("name: must be at most 64", () -> new CreateScriptRequest(name65, "SHELL", "ls", null, null).validate());
        assertEquals("n".repeat(64), new CreateScriptRequest("n".repeat(64), "SHELL", "ls", null, null).validate().name());
        assertMessage("content: must be at most 100000", () ->
                new CreateScriptRequest("a", "SHELL", "x".repeat(100_001), null, null).validate());
        assertEquals(100_000, new CreateScriptRequest("a", "SHELL", "x".repeat(100_000), null, null).validate()
                .content().length());
        assertMessage("description: must be at most 256", () ->
                new CreateScriptRequest("a", "SHELL", "ls", "d".repeat(257), null).validate());
        assertMessage("version: must be at most 128", () ->
                new CreateScriptRequest("a", "SHELL", "ls", null, "v".repeat(129)).validate());
    }

    @Test
    void updateKeepsTheStoredTypeAndRefusesAnotherOne() throws Exception {
        UpdateScriptRequest same = json.readValue("{\"name\": \"b\", \"type\": \"shell\", \"content\": \"pwd\"}",
                UpdateScriptRequest.class);
        assertEquals(new ScriptDefinition("b", ScriptType.SHELL, "pwd", null, null), same.validate(ScriptType.SHELL));

        UpdateScriptRequest noType = json.readValue("{\"name\": \"b\", \"content\": \"dir\", \"version\": \"2\"}",
                UpdateScriptRequest.class);
        assertEquals(ScriptType.BAT, noType.validate(ScriptType.BAT).type());

        UpdateScriptRequest other = json.readValue("{\"name\": \"b\", \"type\": \"BAT\", \"content\": \"dir\"}",
                UpdateScriptRequest.class);
        assertMessage("type: cannot be changed (the script is SHELL)", () -> other.validate(ScriptType.SHELL));
        assertMessage("content: is required", () -> new UpdateScriptRequest("b", null, null, null, null)
                .validate(ScriptType.SHELL));
    }

    @Test
    void responsesUseSnakeCaseAndOmitNulls() throws Exception {
        String listed = json.writeValueAsString(new ScriptListResponse(1, java.util.List.of(new ScriptSummary(
                "s1", "cleanup", null, ScriptType.SHELL, "1", "2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z"))));
        assertEquals("{\"count\":1,\"scripts\":[{\"id\":\"s1\",\"name\":\"cleanup\",\"type\":\"SHELL\",\"version\":\"1\","
                + "\"create_time\":\"2025-01-01T00:00:00Z\",\"update_time\":\"2025-01-02T00:00:00Z\"}]}", listed);
        assertEquals("{\"script_id\":\"s9\"}", json.writeValueAsString(new ScriptIdResponse("s9")));
    }

    private static void assertMessage(String prefix, org.junit.jupiter.api.function.Executable call) {
        ApiException e = assertThrows(ApiException.class, call);
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }
}
