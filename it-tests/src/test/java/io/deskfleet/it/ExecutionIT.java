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
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 3 end to end: real control plane, five real agents, commands really run on the (simulated) desktops. */
class ExecutionIT {
    static final String PROJECT = "proj-exec";
    static final Duration PATIENCE = Duration.ofSeconds(60);
    @TempDir
    static Path dir;
    static ControlPlaneProcess cp;
    static RestClient api;
    static Fleet fleet;
    static Executions executions;

    @BeforeAll
    static void start() {
        cp = new ControlPlaneProcess(dir).withEnv("DESKFLEET_EXECUTION_DELIVERY_WINDOW", "5s").start();
        api = cp.admin(PROJECT);
        executions = new Executions(api, PROJECT);
        fleet = Fleet.create(cp, api, dir, PROJECT, "exec-pool", 5);
        fleet.startAgents("desk", 5);
    }

    @AfterAll
    static void stop() {
        fleet.close();
        cp.close();
    }

    @Test
    void grayBatchPassesThenTheRestRun() {
        String taskId = executions.onPool(fleet.poolId(), Executions.command("echo hello-$((40+2))")
                .put("gray_count", 2).put("gray_fail_threshold", 1));
        JsonNode task = executions.awaitTerminal(taskId, PATIENCE);
        assertEquals("SUCCESS", task.get("status").asText(), task.toString());
        assertEquals(5, task.get("success_num").asInt());
        assertEquals(0, task.get("failed_num").asInt());
        assertEquals(0, task.get("skip_num").asInt());
        assertEquals(2, task.get("gray_resource_ids").size(), task.toString());

        List<JsonNode> records = executions.records(taskId);
        assertEquals(5, records.size());
        Map<Integer, List<JsonNode>> byOrder = records.stream()
                .collect(Collectors.groupingBy(r -> r.get("execute_order").asInt()));
        assertEquals(2, byOrder.get(1).size(), "gray batch");
        assertEquals(3, byOrder.get(2).size(), "the rest");
        Instant grayDone = byOrder.get(1).stream().map(r -> Instant.parse(r.get("end_time").asText()))
                .max(Comparator.naturalOrder()).orElseThrow();
        for (JsonNode record : records) {
            assertEquals("SUCCESS", record.get("status").asText(), record.toString());
            assertEquals(0, record.get("exit_code").asInt());
            assertEquals("hello-42", record.get("output").asText().strip());
            assertEquals("DESKTOP", record.get("resource_type").asText());
            if (record.get("execute_order").asInt() == 2) {
                assertFalse(Instant.parse(record.get("start_time").asText()).isBefore(grayDone),
                        "non-gray desktops start only after the gray batch ended: " + record);
            }
        }
    }

    @Test
    void failingGrayBatchStopsTheRollout() throws IOException {
        Path marks = Files.createDirectories(dir.resolve("marks-gray-fail"));
        String taskId = executions.onPool(fleet.poolId(), Executions.command(
                "mktemp " + marks + "/ran.XXXXXX >/dev/null; echo broken >&2; exit 3")
                .put("gray_count", 2).put("gray_fail_threshold", 1));
        JsonNode task = executions.awaitTerminal(taskId, PATIENCE);
        assertEquals("FAILED", task.get("status").asText(), task.toString());
        assertEquals(3, task.get("skip_num").asInt(), task.toString());
        assertEquals(2, task.get("failed_num").asInt(), task.toString());
        assertEquals(2, countFiles(marks), "only the gray desktops ran the command");
        for (JsonNode record : executions.records(taskId)) {
            if (record.get("execute_order").asInt() == 1) {
                assertEquals("FAILED", record.get("status").asText(), record.toString());
                assertEquals(3, record.get("exit_code").asInt(), record.toString());
                assertTrue(record.get("output").asText().contains("broken"), "stderr is captured: " + record);
            } else {
                assertEquals("SKIPPED", record.get("status").asText(), record.toString());
            }
        }
    }

    @Test
    void thresholdCountsGrayFailures() throws IOException {
        // Of the three gray desktops, the first to run succeeds and the next two fail; later ones succeed.
        for (int threshold : new int[]{2, 3}) {
            Path slots = Files.createDirectories(dir.resolve("slots-" + threshold));
            String script = "if mkdir " + slots + "/a 2>/dev/null; then exit 0; "
                    + "elif mkdir " + slots + "/b 2>/dev/null; then exit 3; "
                    + "elif mkdir " + slots + "/c 2>/dev/null; then exit 3; else exit 0; fi";
            String taskId = executions.onPool(fleet.poolId(), Executions.command(script)
                    .put("gray_count", 3).put("gray_fail_threshold", threshold));
            JsonNode task = executions.awaitTerminal(taskId, PATIENCE);
            assertEquals(2, task.get("failed_num").asInt(), task.toString());
            if (threshold == 2) {
                assertEquals("FAILED", task.get("status").asText(), task.toString());
                assertEquals(1, task.get("success_num").asInt(), task.toString());
                assertEquals(2, task.get("skip_num").asInt(), task.toString());
            } else {
                assertEquals(3, task.get("success_num").asInt(), task.toString());
                assertEquals(0, task.get("skip_num").asInt(), task.toString());
            }
        }
    }

    @Test
    void scriptsRunInOrderAndStopAtTheFirstFailure() throws IOException {
        Path out = Files.createDirectories(dir.resolve("order"));
        String one = executions.createScript("one", "echo one >> " + out + "/$PPID.txt");
        String two = executions.createScript("two", "echo two >> " + out + "/$PPID.txt; exit 4");
        String three = executions.createScript("three", "echo three >> " + out + "/$PPID.txt");
        ObjectNode body = RestClient.JSON.createObjectNode();
        body.putArray("script_ids").add(one).add(two).add(three);
        body.putArray("desktop_ids").add(desktopId("desk-1"));
        String taskId = executions.onPool(fleet.poolId(), body);
        JsonNode task = executions.awaitTerminal(taskId, PATIENCE);
        assertEquals("FAILED", task.get("status").asText(), task.toString());
        List<JsonNode> records = executions.records(taskId);
        Map<String, String> statusByScript = records.stream().collect(Collectors.toMap(
                r -> r.get("script_name").asText(), r -> r.get("status").asText()));
        assertEquals(Map.of("one", "SUCCESS", "two", "FAILED", "three", "SKIPPED"), statusByScript);
        String lines = String.join("", readAll(out));
        assertEquals("one\ntwo\n", lines, "three never ran, one ran before two");
    }

    @Test
    void timeoutKillsTheWholeProcessTree() throws IOException {
        Path pids = Files.createDirectories(dir.resolve("pids"));
        ObjectNode body = Executions.command("sleep 600 & echo $! > " + pids + "/child; echo $$ > " + pids
                + "/parent; wait").put("execution_timeout", 1);
        body.putArray("desktop_ids").add(desktopId("desk-2"));
        String taskId = executions.onPool(fleet.poolId(), body);
        JsonNode task = executions.awaitTerminal(taskId, Duration.ofSeconds(120));
        assertEquals("FAILED", task.get("status").asText(), task.toString());
        JsonNode record = executions.records(taskId).get(0);
        assertEquals("TIMEOUT", record.get("status").asText(), record.toString());
        // the agent reports TIMEOUT only once the killed tree is gone
        for (String name : List.of("child", "parent")) {
            long pid = Long.parseLong(Files.readString(pids.resolve(name)).strip());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), name + " " + pid + " killed");
        }
    }

    @Test
    void stopKillsRunningCommandsAndCancelsTheTask() throws IOException {
        Path pids = Files.createDirectories(dir.resolve("stop-pids"));
        String taskId = executions.onPool(fleet.poolId(), Executions.command(
                "echo $$ > " + pids + "/$$; sleep 300").put("gray_count", 2));
        Await.until("two gray commands running", PATIENCE, () -> countFiles(pids), n -> n == 2);
        executions.stop(taskId).expect(200);
        JsonNode task = executions.awaitTerminal(taskId, PATIENCE);
        assertEquals("CANCELLED", task.get("status").asText(), task.toString());
        // The task is CANCELLED at once; each killed desktop settles when its agent reports the kill. A gray record
        // may still show WAITING until then: agents report a start only after a command has run for 1 s.
        List<JsonNode> records = Await.until("every record settled", PATIENCE, () -> executions.records(taskId),
                all -> all.stream().noneMatch(r -> r.get("status").asText().matches("WAITING|RUNNING")));
        for (JsonNode record : records) {
            assertEquals("CANCELLED", record.get("status").asText(), record.toString());
        }
        assertTrue(executions.task(taskId).hasNonNull("end_time"), "end_time set once everything settled");
        try (Stream<Path> files = Files.list(pids)) {
            for (Path file : files.toList()) {
                long pid = Long.parseLong(Files.readString(file).strip());
                Await.until("pid " + pid + " gone", Duration.ofSeconds(10),
                        () -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), alive -> !alive);
            }
        }
        assertEquals(2, countFiles(pids), "the non-gray desktops never started");
        assertNotEquals(200, executions.stop(taskId).status(), "a finished task cannot be stopped again");
    }

    @Test
    void retryRerunsOnlyTheFailedDesktops() throws IOException {
        Path flag = dir.resolve("retry-ok");
        String firstDesktop = desktopId("desk-3");
        ObjectNode body = Executions.command("test -e " + flag + " || exit 5");
        body.putArray("desktop_ids").add(firstDesktop).add(desktopId("desk-4"));
        String taskId = executions.onPool(fleet.poolId(), body);
        JsonNode failed = executions.awaitTerminal(taskId, PATIENCE);
        assertEquals(2, failed.get("failed_num").asInt(), failed.toString());
        Files.createFile(flag);
        String retryId = executions.retry(taskId);
        assertNotEquals(taskId, retryId);
        JsonNode retried = executions.awaitTerminal(retryId, PATIENCE);
        assertEquals("SUCCESS", retried.get("status").asText(), retried.toString());
        assertEquals(2, retried.get("success_num").asInt(), retried.toString());
    }

    @Test
    void postFinishRebootIsObservedAsANewBootId() {
        String id = desktopId("desk-5");
        String bootBefore = desktop(id).get("boot_id").asText();
        ObjectNode body = Executions.command("true").put("post_finish", "reboot");
        body.putArray("desktop_ids").add(id);
        String taskId = executions.onPool(fleet.poolId(), body);
        assertEquals("SUCCESS", executions.awaitTerminal(taskId, PATIENCE).get("status").asText());
        JsonNode after = Await.until("desk-5 back with a new boot id", PATIENCE, () -> desktop(id),
                d -> d.get("agent_online").asBoolean() && !d.get("boot_id").asText().equals(bootBefore));
        assertEquals("ACTIVE", after.get("status").asText());
    }

    @Test
    void offlineDesktopEndsUndeliverable() {
        try (Fleet small = Fleet.create(cp, api, dir, PROJECT, "offline-pool", 1)) {
            AgentProcess agent = small.startAgents("gone", 1).get(0);
            agent.kill();
            Await.until("agent offline", PATIENCE, small::desktops, d -> Fleet.onlineCount(d) == 0);
            String taskId = executions.onPool(small.poolId(), Executions.command("true"));
            JsonNode task = executions.awaitTerminal(taskId, PATIENCE);
            assertEquals("FAILED", task.get("status").asText(), task.toString());
            JsonNode record = executions.records(taskId).get(0);
            assertEquals("UNDELIVERABLE", record.get("status").asText(), record.toString());
        }
    }

    @Test
    void badRequestsAre400AndCreateNothing() {
        String pool = fleet.poolId();
        int tasksBefore = api.get("/v2/" + PROJECT + "/script-execution-tasks").expect(200).get("count").asInt();
        List<String> bad = List.of(
                "{}",
                "{\"command_content\":\"true\"}",
                "{\"command_content\":\"true\",\"command_type\":\"ZSH\"}",
                "{\"command_content\":\"true\",\"command_type\":\"SHELL\",\"script_ids\":[\"x\"]}",
                "{\"script_ids\":[\"no-such-script\"]}",
                "{\"command_content\":\"true\",\"command_type\":\"SHELL\",\"gray_count\":1,\"gray_fail_threshold\":2}",
                "{\"command_content\":\"true\",\"command_type\":\"SHELL\",\"gray_desktop_ids\":[\"not-in-pool\"]}",
                "{\"command_content\":\"true\",\"command_type\":\"SHELL\",\"gray_count\":-1}",
                "{\"command_content\":\"true\",\"command_type\":\"SHELL\",\"execution_timeout\":601}",
                "{\"command_content\":\"true\",\"command_type\":\"SHELL\",\"execution_timeout\":0}",
                "{\"command_content\":\"true\",\"command_type\":\"SHELL\",\"post_finish\":\"explode\"}",
                "{\"command_content\":\"true\",\"command_type\":\"SHELL\",\"gray_count\":\"many\"}",
                "{\"command_content\":\"true\",\"command_type\":",
                "[1,2]");
        for (String body : bad) {
            JsonNode error = executions.postOnPool(pool, body).expect(400);
            assertTrue(error.get("error_code").asText().startsWith("WKS."), body + " -> " + error);
            assertFalse(error.get("error_msg").asText().isBlank(), body + " -> " + error);
        }
        executions.postOnPool("no-such-pool", Executions.command("true")).expect(404);
        assertEquals(tasksBefore, api.get("/v2/" + PROJECT + "/script-execution-tasks").expect(200)
                .get("count").asInt(), "nothing was created");
    }

    @Test
    void unknownTaskAndRecordAre404() {
        api.get("/v2/" + PROJECT + "/script-execution-records/no-such-record").expect(404);
        executions.stop("no-such-task").expect(404);
    }

    private static JsonNode desktop(String id) {
        return api.get("/v2/" + PROJECT + "/desktops/" + id).expect(200).get("desktop");
    }

    private static String desktopId(String name) {
        for (JsonNode d : fleet.desktops().get("desktops")) {
            if (d.get("computer_name").asText().equals(name)) {
                return d.get("desktop_id").asText();
            }
        }
        throw new AssertionError("no desktop " + name);
    }

    private static long countFiles(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> readAll(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }).toList();
        }
    }
}
