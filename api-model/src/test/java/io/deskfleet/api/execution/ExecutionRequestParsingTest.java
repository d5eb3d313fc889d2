package io.deskfleet.api.execution;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.error.ErrorCode;
import io.deskfleet.api.script.ScriptType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExecutionRequestParsingTest {
    private final ObjectMapper json = new ObjectMapper();

    private ExecutionRequest pool(String body) throws Exception {
        return json.readValue(body, DesktopPoolExecutionRequest.class).validate("pool-1");
    }

    private ExecutionRequest generic(String body) throws Exception {
        return json.readValue(body, ScriptExecutionRequest.class).validate();
    }

    private ExecutionRequest tag(String body) throws Exception {
        return json.readValue(body, DesktopTagExecutionRequest.class).validate();
    }

    @Test
    void thePagesExampleIsAccepted() throws Exception {
        ExecutionRequest request = pool("""
                {"script_ids": ["0006e69f"], "gray_desktop_ids": ["00298bb0"], "post_finish": "reboot"}""");
        assertEquals(new ExecutionTarget.Pool("pool-1", List.of()), request.target());
        assertEquals(new ExecutionPayload.Scripts(List.of("0006e69f")), request.payload());
        assertEquals(new GraySpec.Desktops("gray_desktop_ids", List.of("00298bb0"), 1), request.gray());
        assertEquals(1, request.executionTimeoutMinutes());
        assertEquals(PreStart.NONE, request.preStart());
        assertEquals(PostFinish.REBOOT, request.postFinish());
        assertEquals(MaxConcurrency.UNLIMITED, request.maxConcurrency());
        assertFalse(request.dryRun());
    }

    @Test
    void everyPoolFieldIsNormalized() throws Exception {
        ExecutionRequest request = pool("""
                {"command_content": "echo hi", "command_type": "shell", "gray_count": 5, "gray_fail_threshold": 2,
                 "gray_desktop_ids": ["ignored"], "pre_start": "START", "post_finish": "Stop",
                 "execution_timeout": 600, "desktop_ids": ["d1", "d2"], "max_concurrency": "25%", "dry_run": true}""");
        assertEquals(new ExecutionTarget.Pool("pool-1", List.of("d1", "d2")), request.target());
        assertEquals(new ExecutionPayload.Command(ScriptType.SHELL, "echo hi"), request.payload());
        assertEquals(TaskType.COMMAND, request.payload().taskType());
        assertEquals(new GraySpec.Count(5, 2), request.gray(), "gray_count takes precedence over gray_desktop_ids");
        assertEquals(PreStart.START, request.preStart());
        assertEquals(PostFinish.STOP, request.postFinish());
        assertEquals(600, request.executionTimeoutMinutes());
        assertEquals(new MaxConcurrency(MaxConcurrency.Kind.PERCENT, 25), request.maxConcurrency());
        assertTrue(request.dryRun());
    }

    @Test
    void grayCountZeroLeavesTheGrayIdsInCharge() throws Exception {
        assertEquals(new GraySpec.Desktops("gray_desktop_ids", List.of("a", "b"), 2),
                pool("{\"script_ids\": [\"s\"], \"gray_count\": 0, \"gray_desktop_ids\": [\"a\", \"b\"],"
                        + " \"gray_fail_threshold\": 2}").gray());
        assertEquals(new GraySpec.None(), pool("{\"script_ids\": [\"s\"], \"gray_count\": 0}").gray());
    }

    @Test
    void maxConcurrencyTakesANumberOrAString() throws Exception {
        assertEquals(new MaxConcurrency(MaxConcurrency.Kind.COUNT, 10),
                pool("{\"script_ids\": [\"s\"], \"max_concurrency\": 10}").maxConcurrency());
        assertEquals(new MaxConcurrency(MaxConcurrency.Kind.COUNT, 10),
                pool("{\"script_ids\": [\"s\"], \"max_concurrency\": \"10\"}").maxConcurrency());
        assertEquals(new MaxConcurrency(MaxConcurrency.Kind.PERCENT, 100),
                pool("{\"script_ids\": [\"s\"], \"max_concurrency\": \"100%\"}").maxConcurrency());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{}                                                                     | script_ids: either script_ids or command_content is required",
            "{\"script_ids\": []}                                                   | script_ids: either script_ids or command_content is required",
            "{\"script_ids\": [\"s\"], \"command_content\": \"ls\", \"command_type\": \"SHELL\"} | command_content: not allowed together with script_ids",
            "{\"command_content\": \"ls\"}                                          | command_type: is required with command_content",
            "{\"script_ids\": [\"s\"], \"command_type\": \"SHELL\"}                 | command_type: only allowed with command_content",
            "{\"command_content\": \"ls\", \"command_type\": \"ZSH\"}               | command_type: must be one of POWERSHELL, BAT, SHELL",
            "{\"command_content\": \"\", \"command_type\": \"SHELL\"}               | command_content: must not be empty",
            "{\"script_ids\": [\"s\", \"s\"]}                                       | script_ids: duplicate id s",
            "{\"script_ids\": [\"\"]}                                               | script_ids: must not contain empty ids",
            "{\"script_ids\": [\"s\"], \"desktop_ids\": [\"d\", \"d\"]}             | desktop_ids: duplicate id d",
            "{\"script_ids\": [\"s\"], \"desktop_ids\": [\" \"]}                    | desktop_ids: must not contain empty ids",
            "{\"script_ids\": [\"s\"], \"gray_desktop_ids\": [\"g\", \"g\"]}        | gray_desktop_ids: duplicate id g",
            "{\"script_ids\": [\"s\"], \"gray_count\": -1}                          | gray_count: must be between 0 and 1000",
            "{\"script_ids\": [\"s\"], \"gray_count\": 1001}                        | gray_count: must be between 0 and 1000",
            "{\"script_ids\": [\"s\"], \"gray_count\": 5, \"gray_fail_threshold\": 0}    | gray_fail_threshold: must be between 1 and 1000",
            "{\"script_ids\": [\"s\"], \"gray_count\": 5, \"gray_fail_threshold\": 1001} | gray_fail_threshold: must be between 1 and 1000",
            "{\"script_ids\": [\"s\"], \"gray_count\": 2, \"gray_fail_threshold\": 3}    | gray_fail_threshold: 3 exceeds the gray batch size 2",
            "{\"script_ids\": [\"s\"], \"gray_desktop_ids\": [\"g\"], \"gray_fail_threshold\": 2} | gray_fail_threshold: 2 exceeds the gray batch size 1",
            "{\"script_ids\": [\"s\"], \"gray_fail_threshold\": 1}                  | gray_fail_threshold: requires gray_count or gray_desktop_ids",
            "{\"script_ids\": [\"s\"], \"execution_timeout\": 0}                    | execution_timeout: must be between 1 and 600",
            "{\"script_ids\": [\"s\"], \"execution_timeout\": 601}                  | execution_timeout: must be between 1 and 600",
            "{\"script_ids\": [\"s\"], \"pre_start\": \"boot\"}                     | pre_start: must be one of start, none",
            "{\"script_ids\": [\"s\"], \"pre_start\": \"\"}                         | pre_start: must be one of start, none",
            "{\"script_ids\": [\"s\"], \"post_finish\": \"hibernate\"}              | post_finish: must be one of stop, reboot",
            "{\"script_ids\": [\"s\"], \"post_finish\": \"none\"}                   | post_finish: must be one of stop, reboot",
            "{\"script_ids\": [\"s\"], \"max_concurrency\": 0}                      | max_concurrency: must be at least 1",
            "{\"script_ids\": [\"s\"], \"max_concurrency\": \"-3\"}                 | max_concurrency: must be at least 1",
            "{\"script_ids\": [\"s\"], \"max_concurrency\": \"0%\"}                 | max_concurrency: a percentage must be between 1% and 100%",
            "{\"script_ids\": [\"s\"], \"max_concurrency\": \"101%\"}               | max_concurrency: a percentage must be between 1% and 100%",
            "{\"script_ids\": [\"s\"], \"max_concurrency\": \"ten\"}                | max_concurrency: must be a whole number",
            "{\"script_ids\": [\"s\"], \"max_concurrency\": 2.5}                    | max_concurrency: must be a whole number",
            "{\"script_ids\": [\"s\"], \"max_concurrency\": \"\"}                   | max_concurrency: must be a whole number",
    })
    void poolBodyRejects(String body, String message) throws Exception {
        ApiException e = assertThrows(ApiException.class, () -> pool(body));
        assertEquals(ErrorCode.INVALID_PARAMETER, e.errorCode());
        assertEquals(400, e.httpStatus());
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void overLongIdsAreRefused() {
        String id = "x".repeat(65);
        ApiException e = assertThrows(ApiException.class,
                () -> new DesktopPoolExecutionRequest(List.of(id), null, null, null, null, null, null, null, null,
                        null, null, null).validate("p"));
        assertTrue(e.getMessage().startsWith("script_ids: id longer than 64 characters"), e.getMessage());
    }

    @Test
    void genericBodyTakesStringsOrObjects() throws Exception {
        ExecutionRequest fromObjects = generic("""
                {"resource_type": "desktop",
                 "resource_ids": [{"resource_id": "d1"}, {"resource_id": "d2"}],
                 "script_ids": [{"script_id": "s1"}],
                 "gray_resource_ids": [{"resource_id": "d2"}], "gray_fail_threshold": 1,
                 "execution_timeout": 3, "max_concurrency": 1}""");
        assertEquals(new ExecutionTarget.Desktops(List.of("d1", "d2")), fromObjects.target());
        assertEquals(new ExecutionPayload.Scripts(List.of("s1")), fromObjects.payload());
        assertEquals(new GraySpec.Desktops("gray_resource_ids", List.of("d2"), 1), fromObjects.gray());
        assertEquals(3, fromObjects.executionTimeoutMinutes());
        assertEquals(PostFinish.NONE, fromObjects.postFinish());

        ExecutionRequest fromStrings = generic("""
                {"resource_type": "DESKTOP", "resource_ids": ["d1", "d2"], "script_ids": ["s1"],
                 "gray_resource_ids": ["d2"], "gray_fail_threshold": 1, "execution_timeout": 3,
                 "max_concurrency": "1"}""");
        assertEquals(fromObjects, fromStrings);
        assertEquals(new ExecutionTarget.Desktops(List.of("d1")),
                generic("{\"resource_ids\": [\"d1\"], \"script_ids\": [\"s1\"]}").target(),
                "resource_type is optional");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"resource_ids\": [1], \"script_ids\": [\"s\"]}                        | resource_ids: must be an array of strings or of objects {\"resource_id\": \"...\"}",
            "{\"resource_ids\": [{\"id\": \"d\"}], \"script_ids\": [\"s\"]}          | resource_ids: must be an array of strings or of objects {\"resource_id\": \"...\"}",
            "{\"resource_ids\": [{\"resource_id\": 7}], \"script_ids\": [\"s\"]}     | resource_ids: must be an array of strings or of objects {\"resource_id\": \"...\"}",
            "{\"resource_ids\": \"d\", \"script_ids\": [\"s\"]}                      | resource_ids: must be an array of strings or of objects {\"resource_id\": \"...\"}",
            "{\"resource_ids\": [\"d\"], \"script_ids\": [[\"s\"]]}                  | script_ids: must be an array of strings or of objects {\"script_id\": \"...\"}",
            "{\"resource_ids\": [\"d\"], \"script_ids\": [\"s\"], \"gray_resource_ids\": [{\"script_id\": \"d\"}]} | gray_resource_ids: must be an array of strings or of objects {\"resource_id\": \"...\"}",
    })
    void genericBodyRefusesOtherShapes(String body, String message) {
        MismatchedInputException e = assertThrows(MismatchedInputException.class, () -> generic(body));
        assertEquals(message, e.getOriginalMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"resource_type\": \"VM\", \"resource_ids\": [\"d\"], \"script_ids\": [\"s\"]} | resource_type: must be DESKTOP, got 'VM'",
            "{\"script_ids\": [\"s\"]}                                                    | resource_ids: is required",
            "{\"resource_ids\": [\"d\", {\"resource_id\": \"d\"}], \"script_ids\": [\"s\"]} | resource_ids: duplicate id d",
            "{\"resource_ids\": [\"d\"]}                                                  | script_ids: is required",
            "{\"resource_ids\": [\"d\"], \"script_ids\": [{\"script_id\": \"\"}]}         | script_ids: must not contain empty ids",
            "{\"resource_ids\": [\"d\"], \"script_ids\": [\"s\"], \"gray_fail_threshold\": 1} | gray_fail_threshold: requires gray_count or gray_resource_ids",
            "{\"resource_ids\": [\"d\"], \"script_ids\": [\"s\"], \"gray_resource_ids\": [\"d\", \"d\"]} | gray_resource_ids: duplicate id d",
    })
    void genericBodyRejects(String body, String message) {
        ApiException e = assertThrows(ApiException.class, () -> generic(body));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void tagBodySplitsKeyAndValue() throws Exception {
        ExecutionRequest request = tag("{\"desktop_tag\": \"os=linux=x\", \"script_ids\": [\"s\"], \"gray_count\": 1}");
        assertEquals(new ExecutionTarget.Tag("os", "linux=x"), request.target());
        assertEquals(new GraySpec.Count(1, 1), request.gray());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"script_ids\": [\"s\"]}                               | desktop_tag: is required",
            "{\"desktop_tag\": \"\", \"script_ids\": [\"s\"]}        | desktop_tag: must not be empty",
            "{\"desktop_tag\": \"oslinux\", \"script_ids\": [\"s\"]} | desktop_tag: must be key=value",
            "{\"desktop_tag\": \"=linux\", \"script_ids\": [\"s\"]}  | desktop_tag: must be key=value",
            "{\"desktop_tag\": \"os=\", \"script_ids\": [\"s\"]}     | desktop_tag: must be key=value",
            "{\"desktop_tag\": \" = \", \"script_ids\": [\"s\"]}     | desktop_tag: key must be 1-128",
            "{\"desktop_tag\": \"os=linux\"}                         | script_ids: either script_ids or command_content is required",
            "{\"desktop_tag\": \"os=linux\", \"script_ids\": [\"s\"], \"post_finish\": \"x\"} | post_finish: must be one of stop, reboot",
    })
    void tagBodyRejects(String body, String message) {
        ApiException e = assertThrows(ApiException.class, () -> tag(body));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void stopAndRetryNeedExactlyOneId() throws Exception {
        assertEquals(new ExecutionRef(ExecutionRef.Kind.TASK, "t1"),
                json.readValue("{\"task_id\": \"t1\"}", ExecutionRefRequest.class).validate());
        assertEquals(new ExecutionRef(ExecutionRef.Kind.RECORD, "r1"),
                json.readValue("{\"record_id\": \"r1\"}", ExecutionRefRequest.class).validate());
        for (String body : List.of("{}", "{\"task_id\": \"t\", \"record_id\": \"r\"}")) {
            ApiException e = assertThrows(ApiException.class,
                    () -> json.readValue(body, ExecutionRefRequest.class).validate());
            assertEquals("task_id: exactly one of task_id and record_id is required", e.getMessage());
        }
        ApiException empty = assertThrows(ApiException.class,
                () -> json.readValue("{\"record_id\": \"\"}", ExecutionRefRequest.class).validate());
        assertEquals("record_id: must not be empty", empty.getMessage());
    }

    @Test
    void statusFiltersParseCaseInsensitively() {
        assertEquals(TaskStatus.RUNNING, TaskStatus.parse("status", "running"));
        assertEquals(RecordStatus.UNDELIVERABLE, RecordStatus.parse("status", "Undeliverable"));
        assertEquals(TaskType.COMMAND, TaskType.parse("task_type", "command"));
        ApiException e = assertThrows(ApiException.class, () -> TaskStatus.parse("status", "DONE"));
        assertTrue(e.getMessage().startsWith("status: must be one of WAITING"), e.getMessage());
    }

    @Test
    void recordDetailSerializesWithContractNames() throws Exception {
        String body = json.writeValueAsString(new ScriptExecutionRecordDetail("r1", "s1", "cleanup", "t1", "d1",
                "desk-1", "DESKTOP", "2025-01-01T00:00:00Z", null, RecordStatus.FAILED, 2, "3",
                "the script exited with code 3", "oops", false, 3, null));
        assertEquals("{\"id\":\"r1\",\"script_id\":\"s1\",\"script_name\":\"cleanup\",\"script_task_id\":\"t1\","
                + "\"resource_id\":\"d1\",\"resource_name\":\"desk-1\",\"resource_type\":\"DESKTOP\","
                + "\"start_time\":\"2025-01-01T00:00:00Z\",\"status\":\"FAILED\",\"execute_order\":2,"
                + "\"result_code\":\"3\",\"reason\":\"the script exited with code 3\",\"output\":\"oops\","
                + "\"output_truncated\":false,\"exit_code\":3}", body);
        assertEquals("{\"task_id\":\"t1\"}", json.writeValueAsString(new TaskIdResponse("t1")));
        String tasks = json.writeValueAsString(new ScriptExecutionTaskListResponse(1, List.of(new ScriptExecutionTask(
                "t1", List.of(new TaskScript("s1", "cleanup")), "DESKTOP", List.of("d1"), List.of(), 1, 0, 0,
                "2025-01-01T00:00:00Z", null, TaskStatus.SUCCESS))));
        assertEquals("{\"count\":1,\"script_tasks\":[{\"id\":\"t1\",\"task_scripts\":[{\"id\":\"s1\",\"name\":\"cleanup\"}],"
                + "\"resource_type\":\"DESKTOP\",\"resource_ids\":[\"d1\"],\"gray_resource_ids\":[],\"success_num\":1,"
                + "\"failed_num\":0,\"skip_num\":0,\"start_time\":\"2025-01-01T00:00:00Z\",\"status\":\"SUCCESS\"}]}",
                tasks);
        String pool = json.writeValueAsString(new PoolScriptExecutionTaskListResponse(1, List.of(
                new PoolScriptExecutionTask("t2", "p1", "pool", List.of(), "ls", ScriptType.SHELL, null, null,
                        TaskStatus.WAITING, 0, 0, 0))));
        assertEquals("{\"total_count\":1,\"script_execution_tasks\":[{\"id\":\"t2\",\"desktop_pool_id\":\"p1\","
                + "\"desktop_pool_name\":\"pool\",\"scripts\":[],\"command_content\":\"ls\",\"command_type\":\"SHELL\","
                + "\"status\":\"WAITING\",\"success_num\":0,\"failed_num\":0,\"skip_num\":0}]}", pool);
    }

    @Test
    void aTaskWithOurFieldsReadsBackWhole() throws Exception {
        // Clients (the CLI) read tasks into this record: the contract's constructor beside the canonical one must
        // not make Jackson drop our fields.
        ScriptExecutionTask task = json.readValue("{\"id\":\"t1\",\"resource_ids\":[\"d1\"],\"success_num\":1,"
                + "\"status\":\"RUNNING\",\"created_by\":\"alice\",\"desktop_pool_id\":\"p1\","
                + "\"desktop_pool_name\":\"lab\",\"command_content\":\"ls\",\"command_type\":\"SHELL\","
                + "\"resource_names\":[\"desk-1\"],\"retry_of\":\"t0\",\"desktop_tag\":\"team=qa\"}",
                ScriptExecutionTask.class);
        assertEquals(new ScriptExecutionTask("t1", null, null, List.of("d1"), null, 1, 0, 0, null, null,
                TaskStatus.RUNNING, "alice", "p1", "lab", "team=qa", "ls", ScriptType.SHELL, List.of("desk-1"), "t0"),
                task);
    }
}
