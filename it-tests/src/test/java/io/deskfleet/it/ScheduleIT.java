package io.deskfleet.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deskfleet.it.harness.AgentProcess;
import io.deskfleet.it.harness.Await;
import io.deskfleet.it.harness.ControlPlaneProcess;
import io.deskfleet.it.harness.Executions;
import io.deskfleet.it.harness.Fleet;
import io.deskfleet.it.harness.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 4 end to end: scheduled and triggered tasks fired by a real control plane onto real agents. */
class ScheduleIT {
    static final String PROJECT = "proj-schedule";
    static final String ZONE = "Europe/Berlin";
    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    @TempDir
    static Path dir;
    static ControlPlaneProcess cp;
    static RestClient api;
    static Fleet fleet;
    static Executions executions;

    @BeforeAll
    static void start() {
        cp = new ControlPlaneProcess(dir).start();
        api = cp.admin(PROJECT);
        executions = new Executions(api, PROJECT);
        fleet = Fleet.create(cp, api, dir, PROJECT, "schedule-pool", 3);
        fleet.startAgents("sched", 3);
    }

    @AfterAll
    static void stop() {
        fleet.close();
        cp.close();
    }

    /** An EXECUTE_SCRIPT task on the fleet's pool whose command leaves one file per run in {@code marks}. */
    static ObjectNode markingTask(String name, Path marks, String poolId) {
        ObjectNode body = RestClient.JSON.createObjectNode().put("task_name", name).put("task_type", "EXECUTE_SCRIPT")
                .put("time_zone", ZONE)
                .put("extra_params", "{\"command_content\":\"mktemp " + marks + "/ran.XXXXXX\","
                        + "\"command_type\":\"SHELL\",\"execution_timeout\":1}");
        body.putArray("apply_objects").addObject().put("object_type", "DESKTOP_POOL").put("object_id", poolId);
        return body;
    }

    static ObjectNode fixedIn(ObjectNode body, long seconds) {
        LocalDateTime at = LocalDateTime.now(ZoneId.of(ZONE)).plusSeconds(seconds);
        return body.put("scheduled_type", "FIXED_TIME").put("scheduled_date", DATE.format(at))
                .put("scheduled_time", TIME.format(at));
    }

    static String create(ObjectNode body) {
        return api.post("/v2/" + PROJECT + "/scheduled-tasks", body).expect(200).get("task_id").asText();
    }

    static JsonNode records(String taskId) {
        return api.get("/v2/" + PROJECT + "/scheduled-tasks/" + taskId + "/records").expect(200);
    }

    /** The task's first record once it has settled (RUNNING while dispatched and, for scripts, while they run). */
    static JsonNode awaitOneRecord(String taskId) {
        return Await.until("a dispatched record of task " + taskId, PATIENCE, () -> records(taskId),
                r -> r.get("total_count").asInt() >= 1
                        && !r.get("tasks_records").get(0).get("status").asText().equals("RUNNING"))
                .get("tasks_records").get(0);
    }

    static long marks(Path marks) throws IOException {
        try (Stream<Path> files = Files.list(marks)) {
            return files.count();
        }
    }

    @Test
    void aScheduledScriptThatFailsOnADesktopLeavesAFailRecordAndLastStatus() {
        ObjectNode body = RestClient.JSON.createObjectNode().put("task_name", "failing").put("task_type",
                "EXECUTE_SCRIPT").put("time_zone", ZONE).put("extra_params",
                "{\"command_content\":\"exit 3\",\"command_type\":\"SHELL\",\"execution_timeout\":1}");
        body.putArray("apply_objects").addObject().put("object_type", "DESKTOP_POOL").put("object_id", fleet.poolId());
        String taskId = create(fixedIn(body, 3));
        JsonNode record = awaitOneRecord(taskId);
        assertEquals("FAIL", record.get("status").asText(), "the record follows its execution: " + record);
        JsonNode execution = executions.task(record.get("execute_task_id").asText());
        assertEquals("FAILED", execution.get("status").asText(), execution.toString());
        assertEquals(3, record.get("failed_num").asInt(), record.toString());
        assertEquals("FAIL", api.get("/v2/" + PROJECT + "/scheduled-tasks/" + taskId).expect(200)
                .get("last_status").asText());
    }

    @Test
    void aFixedTimeTaskRunsTheCommandOnTheAgentsAndLeavesARecord() throws IOException {
        Path marks = Files.createDirectories(dir.resolve("fixed"));
        String taskId = create(fixedIn(markingTask("fixed", marks, fleet.poolId()), 3));
        JsonNode record = awaitOneRecord(taskId);
        assertEquals("SUCCESS", record.get("status").asText(), record.toString());
        assertEquals("EXECUTE_SCRIPT", record.get("task_type").asText());
        assertEquals(ZONE, record.get("time_zone").asText());
        String executeTaskId = record.get("execute_task_id").asText();
        JsonNode execution = executions.awaitTerminal(executeTaskId, PATIENCE);
        assertEquals("SUCCESS", execution.get("status").asText(), execution.toString());
        assertEquals(3, marks(marks), "the command ran once on each of the three desktops");

        JsonNode after = records(taskId).get("tasks_records").get(0);
        assertEquals(3, after.get("success_num").asInt(), after.toString());
        JsonNode details = api.get("/v2/" + PROJECT + "/scheduled-tasks/" + taskId + "/records/"
                + after.get("id").asText()).expect(200);
        assertEquals(3, details.get("total_count").asInt(), details.toString());
        Set<String> names = new HashSet<>();
        for (JsonNode d : details.get("tasks_records_details")) {
            assertEquals("SUCCESS", d.get("exec_status").asText(), d.toString());
            assertTrue(d.get("end_time").asText().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"), d.toString());
            names.add(d.get("desktop_name").asText());
        }
        assertEquals(Set.of("sched-1", "sched-2", "sched-3"), names);
        JsonNode task = api.get("/v2/" + PROJECT + "/scheduled-tasks/" + taskId).expect(200);
        assertEquals("SUCCESS", task.get("last_status").asText());
        assertTrue(task.get("next_execution_time").isNull(), "a FIXED_TIME task fires once: " + task);
    }

    @Test
    void aModifyMovesTheFire() throws IOException {
        Path marks = Files.createDirectories(dir.resolve("moved"));
        String taskId = create(fixedIn(markingTask("moved", marks, fleet.poolId()), 3600));
        ObjectNode move = fixedIn(RestClient.JSON.createObjectNode(), 3);
        api.put("/v2/" + PROJECT + "/scheduled-tasks/" + taskId, move).expect(200);
        JsonNode record = awaitOneRecord(taskId);
        executions.awaitTerminal(record.get("execute_task_id").asText(), PATIENCE);
        assertEquals(3, marks(marks), "ran at the new time, an hour early");
    }

    @Test
    void aDisabledTaskDoesNotRun() throws IOException, InterruptedException {
        Path marks = Files.createDirectories(dir.resolve("disabled"));
        String taskId = create(fixedIn(markingTask("disabled", marks, fleet.poolId()), 2));
        api.put("/v2/" + PROJECT + "/scheduled-tasks/" + taskId,
                RestClient.JSON.createObjectNode().put("enable", false)).expect(200);
        Thread.sleep(5_000);
        assertEquals(0, records(taskId).get("total_count").asInt());
        assertEquals(0, marks(marks));
    }

    @Test
    void aNewDesktopRunsTheCreateTriggeredTask() throws IOException {
        Path marks = Files.createDirectories(dir.resolve("created"));
        try (Fleet late = Fleet.create(cp, api, dir, PROJECT, "late-pool", 1)) {
            ObjectNode body = markingTask("on create", marks, late.poolId())
                    .put("scheduled_type", "LIFE_CYCLE").put("life_cycle_type", "POST_CREATE_DESKTOP_SUCCESS")
                    .put("wait_time", 1);
            String taskId = create(body);
            AgentProcess agent = late.startAgents("late", 1).get(0);
            JsonNode record = awaitOneRecord(taskId);
            assertEquals("LIFE_CYCLE", record.get("scheduled_type").asText());
            assertEquals("POST_CREATE_DESKTOP_SUCCESS", record.get("life_cycle_type").asText());
            JsonNode execution = executions.awaitTerminal(record.get("execute_task_id").asText(), PATIENCE);
            assertEquals("SUCCESS", execution.get("status").asText(), execution.toString());
            assertEquals(1, marks(marks), "only the new desktop ran it");
            JsonNode details = api.get("/v2/" + PROJECT + "/scheduled-tasks/" + taskId + "/records/"
                    + record.get("id").asText()).expect(200);
            assertEquals(agent.name(), details.get("tasks_records_details").get(0).get("desktop_name").asText());
        }
    }

    @Test
    void aFireDueWhileTheControlPlaneIsDownRunsOnceAfterTheRestart() throws IOException, InterruptedException {
        Path marks = Files.createDirectories(dir.resolve("restart"));
        String taskId = create(fixedIn(markingTask("restart", marks, fleet.poolId()), 4));
        try {
            cp.terminate();
            Thread.sleep(6_000);
        } finally {
            cp.start();
        }
        JsonNode record = awaitOneRecord(taskId);
        assertEquals("SUCCESS", record.get("status").asText(), "within the misfire grace: " + record);
        fleet.awaitOnline(3);
        executions.awaitTerminal(record.get("execute_task_id").asText(), PATIENCE);
        Thread.sleep(2_000);
        assertEquals(1, records(taskId).get("total_count").asInt(), "fired once");
        assertEquals(3, marks(marks), "each desktop ran it once");
    }
}
