package io.deskfleet.cli.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.cli.DeskfleetCli;
import io.deskfleet.cli.http.Json;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ScheduleCommandTest {

    private static CommandLine.ParseResult parse(String... args) {
        return DeskfleetCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                .parseArgs(args);
    }

    private static <T> T command(CommandLine.ParseResult result, Class<T> type) {
        CommandLine.ParseResult leaf = result;
        while (leaf.subcommand() != null) {
            leaf = leaf.subcommand();
        }
        return type.cast(leaf.commandSpec().userObject());
    }

    @Test
    void createMapsOptionsToTheContractBody() throws Exception {
        ScheduleCommand.Create create = command(parse("schedule", "create", "--name", "nightly cleanup",
                "--task-type", "EXECUTE_SCRIPT", "--scheduled-type", "WEEK", "--week-list", "2,3,4,5,6",
                "--scheduled-time", "02:30:00", "--time-zone", "Asia/Shanghai", "--command", "rm -rf /tmp/cache",
                "--timeout", "5", "--pool", "p1", "--tag", "team=qa", "--all-desktops", "--gray-count", "1",
                "--no-enable", "--priority", "3"), ScheduleCommand.Create.class);
        JsonNode body = Json.MAPPER.readTree(Json.write(ScheduleCommand.body(create.when, create.what, null)));
        assertEquals(Json.MAPPER.readTree("""
                {"task_name":"nightly cleanup","task_type":"EXECUTE_SCRIPT","scheduled_type":"WEEK",
                 "week_list":"2,3,4,5,6","scheduled_time":"02:30:00","time_zone":"Asia/Shanghai","gray_count":1,
                 "enable":false,"priority":3,
                 "extra_params":"{\\"command_content\\":\\"rm -rf /tmp/cache\\",\\"command_type\\":\\"SHELL\\",\\"execution_timeout\\":5}",
                 "apply_objects":[{"object_id":"p1","object_type":"DESKTOP_POOL"},
                                  {"object_id":"team=qa","object_type":"DESKTOP_TAG"},
                                  {"object_type":"ALL_DESKTOPS"}]}"""), body);
    }

    @Test
    void modifySendsOnlyTheGivenFields() throws Exception {
        ScheduleCommand.Modify modify = command(parse("schedule", "modify", "task-1", "--scheduled-time", "03:00:00",
                "--clear-targets"), ScheduleCommand.Modify.class);
        assertEquals("task-1", modify.taskId);
        JsonNode body = Json.MAPPER.readTree(Json.write(ScheduleCommand.body(modify.when, modify.what, "CLEAR_ALL")));
        assertEquals(Json.MAPPER.readTree("""
                {"scheduled_time":"03:00:00","apply_object_update_type":"CLEAR_ALL"}"""), body);
    }

    @Test
    void scriptsGoIntoExtraParams() {
        ScheduleCommand.Create create = command(parse("schedule", "create", "--script", "s1,s2"),
                ScheduleCommand.Create.class);
        assertEquals("{\"script_ids\":[\"s1\",\"s2\"]}", create.what.extraParams());
        assertNull(create.what.conflict());
    }

    @Test
    void rawExtraParamsExcludeTheBuiltOnes() {
        ScheduleCommand.Create create = command(parse("schedule", "create", "--extra-params", "{}", "--command", "x"),
                ScheduleCommand.Create.class);
        assertEquals("--extra-params replaces --command, --script and --timeout; give one or the other",
                create.what.conflict());
        StringWriter err = new StringWriter();
        int code = DeskfleetCli.run(new String[] {"schedule", "create", "--extra-params", "{}", "--command", "x"},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(2, code, err.toString());
    }

    @Test
    void previewSendsOnlyScheduleFields() throws Exception {
        ScheduleCommand.Preview preview = command(parse("schedule", "preview", "--scheduled-type", "DAY",
                "--day-interval", "2", "--scheduled-time", "08:00:00", "-o", "json"), ScheduleCommand.Preview.class);
        JsonNode body = Json.MAPPER.readTree(Json.write(ScheduleCommand.body(preview.when, new TaskFields(), null)));
        assertEquals(Json.MAPPER.readTree("""
                {"scheduled_type":"DAY","day_interval":2,"scheduled_time":"08:00:00"}"""), body);
    }

    @Test
    void aMissingSubcommandIsAUsageError() {
        StringWriter err = new StringWriter();
        assertEquals(2, DeskfleetCli.run(new String[] {"schedule"}, new PrintWriter(new StringWriter()),
                new PrintWriter(err)));
    }
}
