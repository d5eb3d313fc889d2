package io.deskfleet.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deskfleet.it.harness.Await;
import io.deskfleet.it.harness.ControlPlaneProcess;
import io.deskfleet.it.harness.Executions;
import io.deskfleet.it.harness.Fleet;
import io.deskfleet.it.harness.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 3's other entry points and options, end to end with real agents. */
class ExecutionOptionsIT {
    static final String PROJECT = "proj-options";
    static final Duration PATIENCE = Duration.ofSeconds(60);
    @TempDir
    static Path dir;
    static ControlPlaneProcess cp;
    static RestClient api;
    static Fleet fleet;
    static Executions executions;
    static List<String> desktopIds = new ArrayList<>();

    @BeforeAll
    static void start() {
        cp = new ControlPlaneProcess(dir).start();
        api = cp.admin(PROJECT);
        executions = new Executions(api, PROJECT);
        fleet = Fleet.create(cp, api, dir, PROJECT, "options-pool", 4);
        fleet.startAgents("lab", 2, "room=lab");
        fleet.startAgents("office", 2, "room=office");
        for (JsonNode d : fleet.desktops().get("desktops")) {
            desktopIds.add(d.get("desktop_id").asText());
        }
        desktopIds.sort(Comparator.naturalOrder());
    }

    @AfterAll
    static void stop() {
        fleet.close();
        cp.close();
    }

    @Test
    void genericEndpointTakesTheExamplesObjectFormForIds() {
        String script = executions.createScript("who", "echo generic");
        ObjectNode body = RestClient.JSON.createObjectNode().put("resource_type", "desktop");
        ArrayNode resources = body.putArray("resource_ids");
        resources.addObject().put("resource_id", desktopIds.get(0));
        resources.add(desktopIds.get(1));
        body.putArray("script_ids").addObject().put("script_id", script);
        String taskId = api.post("/v2/" + PROJECT + "/script-executions", body).expect(200).get("task_id").asText();
        JsonNode task = executions.awaitTerminal(taskId, PATIENCE);
        assertEquals("SUCCESS", task.get("status").asText(), task.toString());
        assertEquals(2, task.get("success_num").asInt());
        assertEquals(script, task.get("task_scripts").get(0).get("id").asText());
        for (JsonNode record : executions.records(taskId)) {
            assertEquals("generic", record.get("output").asText().strip());
            assertEquals("who", record.get("script_name").asText());
        }
        // ids that are neither strings nor such objects are refused
        ObjectNode wrong = RestClient.JSON.createObjectNode();
        wrong.putArray("resource_ids").addObject().put("id", desktopIds.get(0));
        wrong.putArray("script_ids").add(script);
        api.post("/v2/" + PROJECT + "/script-executions", wrong).expect(400);
    }

    @Test
    void byDesktopTagRunsOnTheTaggedDesktopsOnly() {
        ObjectNode body = Executions.command("hostname >/dev/null && echo tagged").put("desktop_tag", "room=office");
        String taskId = api.post("/v2/" + PROJECT + "/script-executions/by-desktop-tag", body).expect(200)
                .get("task_id").asText();
        executions.awaitTerminal(taskId, PATIENCE);
        Set<String> names = new HashSet<>();
        for (JsonNode record : executions.records(taskId)) {
            names.add(record.get("resource_name").asText());
        }
        assertEquals(Set.of("office-1", "office-2"), names);
        api.post("/v2/" + PROJECT + "/script-executions/by-desktop-tag",
                Executions.command("true").put("desktop_tag", "room=nowhere")).expect(400);
        api.post("/v2/" + PROJECT + "/script-executions/by-desktop-tag",
                Executions.command("true").put("desktop_tag", "no-equals-sign")).expect(400);
    }

    @Test
    void dryRunReturnsTheBatchesAndRunsNothing() {
        int before = api.get("/v2/" + PROJECT + "/script-execution-tasks").expect(200).get("count").asInt();
        JsonNode plan = executions.postOnPool(fleet.poolId(), Executions.command("true")
                .put("gray_count", 1).put("max_concurrency", "50%").put("dry_run", true)).expect(200);
        assertEquals(4, plan.get("target_count").asInt(), plan.toString());
        JsonNode batches = plan.get("batches");
        // gray 1, then 50% of the 3 others, rounded down: three batches of one
        assertEquals(4, batches.size(), plan.toString());
        assertEquals(1, batches.get(0).get("execute_order").asInt());
        assertEquals(List.of(desktopIds.get(0)), texts(batches.get(0).get("desktop_ids")));
        for (int i = 1; i < 4; i++) {
            assertEquals(2, batches.get(i).get("execute_order").asInt());
            assertEquals(List.of(desktopIds.get(i)), texts(batches.get(i).get("desktop_ids")));
        }
        assertEquals(before, api.get("/v2/" + PROJECT + "/script-execution-tasks").expect(200).get("count").asInt());
    }

    @Test
    void maxConcurrencyRunsTheRestInSequentialBatches() {
        String taskId = executions.onPool(fleet.poolId(), Executions.command("sleep 1").put("max_concurrency", 1));
        assertEquals("SUCCESS", executions.awaitTerminal(taskId, PATIENCE).get("status").asText());
        List<JsonNode> records = new ArrayList<>(executions.records(taskId));
        records.sort(Comparator.comparing(r -> Instant.parse(r.get("start_time").asText())));
        for (int i = 1; i < records.size(); i++) {
            Instant previousEnd = Instant.parse(records.get(i - 1).get("end_time").asText());
            Instant start = Instant.parse(records.get(i).get("start_time").asText());
            assertFalse(start.isBefore(previousEnd), "one desktop at a time: " + records);
        }
    }

    @Test
    void preStartStartsAShutOffDesktopFirst() {
        String id = desktopIds.get(3);
        ObjectNode stop = RestClient.JSON.createObjectNode().put("op_type", "os-stop");
        stop.putArray("desktop_ids").add(id);
        api.post("/v2/" + PROJECT + "/desktops/actions", stop).expect(200);
        Await.until("desktop shut off", PATIENCE, () -> desktop(id), d -> d.get("status").asText().equals("SHUTOFF"));

        ObjectNode plain = Executions.command("echo up");
        plain.putArray("desktop_ids").add(id);
        String refused = executions.onPool(fleet.poolId(), plain);
        executions.awaitTerminal(refused, PATIENCE);
        JsonNode record = executions.records(refused).get(0);
        assertEquals("FAILED", record.get("status").asText(), record.toString());
        assertEquals("DESKTOP_NOT_RUNNING", record.get("result_code").asText(), record.toString());

        ObjectNode started = Executions.command("echo up").put("pre_start", "start");
        started.putArray("desktop_ids").add(id);
        String taskId = executions.onPool(fleet.poolId(), started);
        assertEquals("SUCCESS", executions.awaitTerminal(taskId, PATIENCE).get("status").asText());
        assertEquals("up", executions.records(taskId).get(0).get("output").asText().strip());
        Await.until("desktop active again", PATIENCE, () -> desktop(id),
                d -> d.get("status").asText().equals("ACTIVE"));
    }

    @Test
    void outputIsCappedAt64KiBWithATruncatedFlag() {
        ObjectNode body = Executions.command("yes aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | head -c 200000; echo tail-marker");
        body.putArray("desktop_ids").add(desktopIds.get(0));
        String taskId = executions.onPool(fleet.poolId(), body);
        assertEquals("SUCCESS", executions.awaitTerminal(taskId, PATIENCE).get("status").asText());
        JsonNode record = executions.records(taskId).get(0);
        assertTrue(record.get("output_truncated").asBoolean(), "flag set");
        String output = record.get("output").asText();
        assertTrue(output.length() <= 64 * 1024, "at most 64 KiB kept, got " + output.length());
        assertTrue(output.length() >= 60 * 1024, "the head is kept, got " + output.length());
        assertTrue(output.startsWith("aaaa"), output.substring(0, 20));
    }

    @Test
    void poolDetailListsThePoolsTasksWithCommandAndCounts() {
        String taskId = executions.onPool(fleet.poolId(), Executions.command("echo detail"));
        executions.awaitTerminal(taskId, PATIENCE);
        JsonNode detail = api.get("/v2/" + PROJECT + "/desktop-pools/script-execution-tasks/detail?desktop_pool_id="
                + fleet.poolId() + "&limit=100").expect(200);
        JsonNode found = null;
        for (JsonNode task : detail.get("script_execution_tasks")) {
            if (task.get("id").asText().equals(taskId)) {
                found = task;
            }
        }
        assertTrue(found != null, detail.toString());
        assertEquals("options-pool", found.get("desktop_pool_name").asText());
        assertEquals("echo detail", found.get("command_content").asText());
        assertEquals("SHELL", found.get("command_type").asText());
        assertEquals(4, found.get("success_num").asInt(), found.toString());
        assertTrue(detail.get("total_count").asInt() >= 1);
        api.get("/v2/" + PROJECT + "/desktop-pools/script-execution-tasks/detail?status=BOGUS").expect(400);
    }

    private static JsonNode desktop(String id) {
        return api.get("/v2/" + PROJECT + "/desktops/" + id).expect(200).get("desktop");
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(n -> values.add(n.asText()));
        return values;
    }
}
