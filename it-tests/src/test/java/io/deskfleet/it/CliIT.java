package io.deskfleet.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deskfleet.it.harness.CliProcess;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 7: the real CLI jar, as a user runs it, against the real control plane and real agents. */
class CliIT {
    static final String PROJECT = "proj-cli";
    static final Duration PATIENCE = Duration.ofSeconds(60);
    @TempDir
    static Path dir;
    static ControlPlaneProcess cp;
    static RestClient api;
    static Fleet fleet;
    static Executions executions;
    static CliProcess cli;
    static List<String> desktopIds;

    @BeforeAll
    static void start() {
        cp = new ControlPlaneProcess(dir).start();
        api = cp.admin(PROJECT);
        executions = new Executions(api, PROJECT);
        fleet = Fleet.create(cp, api, dir, PROJECT, "cli-pool", 3);
        fleet.startAgents("desk", 2, "team=qa");
        fleet.startAgents("canary", 1, "team=qa", "role=canary");
        desktopIds = new ArrayList<>();
        fleet.desktops().get("desktops").forEach(d -> desktopIds.add(d.get("desktop_id").asText()));
        cli = new CliProcess(dir.resolve("cli")).withEnv("DESKFLEET_PASSWORD", ControlPlaneProcess.ADMIN_PASSWORD);
        cli.run("login", "--endpoint", cp.baseUrl(), "--user", ControlPlaneProcess.ADMIN_USER,
                "--project-id", PROJECT).expect(0);
    }

    @AfterAll
    static void stop() {
        fleet.close();
        cp.close();
    }

    @Test
    void loginKeepsTheTokenForItsOwnerOnlyAndLaterCommandsUseIt() throws IOException {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.credentials())));
        String stored = Files.readString(cli.credentials());
        assertTrue(stored.contains("project_id=" + PROJECT), stored);

        List<List<String>> pools = rows(cli.run("pools").expect(0));
        assertEquals(List.of(List.of(fleet.poolId(), "cli-pool", "DYNAMIC", "3", "3")),
                pools.stream().map(row -> row.subList(0, 5)).toList());

        CliProcess wrong = new CliProcess(dir.resolve("cli-wrong")).withEnv("DESKFLEET_PASSWORD", "not-the-password");
        CliProcess.Result refused = wrong.run("login", "--endpoint", cp.baseUrl(), "--user", "admin",
                "--project-id", PROJECT);
        assertEquals(1, refused.exitCode(), refused.toString());
        assertTrue(refused.stderr().startsWith("error: WKS.00211302: "), refused.toString());
        assertFalse(Files.exists(wrong.credentials()), "nothing stored after a refused login");
    }

    @Test
    void desktopsAreListedAndFiltered() {
        List<List<String>> all = rows(cli.run("desktops", "--pool", fleet.poolId()).expect(0));
        assertEquals(Set.of("desk-1", "desk-2", "canary-1"), all.stream().map(row -> row.get(1)).collect(Collectors.toSet()));
        all.forEach(row -> assertEquals("online", row.get(4), row.toString()));

        List<List<String>> canaries = rows(cli.run("desktops", "--tag", "role=canary").expect(0));
        assertEquals(1, canaries.size(), canaries.toString());
        assertEquals("canary-1", canaries.get(0).get(1));
        assertTrue(canaries.get(0).get(5).contains("role=canary"), canaries.toString());

        JsonNode json = cli.run("desktops", "--tag", "role=canary", "--output", "json").json();
        assertEquals(1, json.get("total_count").asInt());
    }

    @Test
    void aScriptCreatedFromAFileRunsOnChosenDesktopsAndIsDeleted() throws IOException {
        Path file = Files.writeString(dir.resolve("hello.sh"), "echo from-script-$((6*7))\n");
        String scriptId = cli.run("scripts", "create", "--name", "cli-hello", "--type", "shell", "--file",
                file.toString()).expect(0).strip();
        JsonNode stored = api.get("/v2/" + PROJECT + "/scripts/" + scriptId).expect(200);
        assertEquals("echo from-script-$((6*7))\n", stored.get("content").asText());
        assertEquals("SHELL", stored.get("type").asText());
        List<List<String>> listed = rows(cli.run("scripts", "--name", "cli-hello").expect(0));
        assertEquals(scriptId, listed.get(0).get(0));

        CliProcess.Result run = cli.run("run", "--script", scriptId, "--desktops",
                desktopIds.get(0) + "," + desktopIds.get(1), "--gray-desktops", desktopIds.get(0));
        List<List<String>> table = resultTable(run.expect(0));
        assertEquals(2, table.size(), run.toString());
        assertEquals("gray", table.get(0).get(1), run.toString());
        for (List<String> row : table) {
            assertEquals(List.of("SUCCESS", "0", "from-script-42"), row.subList(2, 5), run.toString());
        }

        cli.run("scripts", "delete", scriptId).expect(0);
        assertEquals(404, api.get("/v2/" + PROJECT + "/scripts/" + scriptId).status());
    }

    @Test
    void aGrayRunWithAFailingDesktopExitsNonZeroAndItsRowShowsTheFailure() throws IOException {
        Path slot = dir.resolve("fail-slot-" + System.nanoTime());
        // the first desktop to take the slot fails; the gray batch (2, threshold 2) goes on and so does the rest
        String command = "if mkdir " + slot + " 2>/dev/null; then echo broken; exit 3; else echo fine; fi";
        CliProcess.Result run = cli.run("run", "--command", command, "--pool", fleet.poolId(), "--gray-count", "2",
                "--gray-fail-threshold", "2");
        assertEquals(3, run.exitCode(), run.toString());

        List<List<String>> table = resultTable(run.stdout());
        assertEquals(3, table.size(), run.toString());
        List<List<String>> failed = table.stream().filter(row -> row.get(2).equals("FAILED")).toList();
        assertEquals(List.of(List.of("gray", "FAILED", "3", "broken")), failed.stream().map(r -> r.subList(1, 5)).toList(),
                run.toString());
        assertEquals(List.of("gray", "gray", "rest"), table.stream().map(row -> row.get(1)).toList(), run.toString());
        table.stream().filter(row -> !row.get(2).equals("FAILED"))
                .forEach(row -> assertEquals(List.of("SUCCESS", "0", "fine"), row.subList(2, 5), run.toString()));

        String taskId = taskIdOf(run);
        assertTrue(run.stdout().strip().endsWith("Task " + taskId + " FAILED."), run.toString());
        JsonNode task = executions.task(taskId);
        assertEquals("FAILED", task.get("status").asText());
        assertEquals(1, task.get("failed_num").asInt());
        // followed live: plain progress lines for both batches, no terminal escapes in a pipe
        assertTrue(run.stdout().contains("gray  [##############################] 2/2  (1 ok, 1 failed, 0 skipped)"),
                run.toString());
        assertTrue(run.stdout().contains("rest  [##############################] 1/1  (1 ok, 0 failed, 0 skipped)"),
                run.toString());
        assertFalse(run.stdout().contains("\033"), run.toString());
    }

    @Test
    void aSuccessfulRunOnATagExitsZeroWithATableOfEveryDesktop() {
        CliProcess.Result run = cli.run("run", "--command", "echo hello-$((40+2))", "--tag", "team=qa",
                "--gray-count", "1", "--max-concurrency", "1");
        List<List<String>> table = resultTable(run.expect(0));
        assertEquals(List.of("gray", "rest", "rest"), table.stream().map(row -> row.get(1)).toList(), run.toString());
        assertEquals(Set.of("desk-1", "desk-2", "canary-1"), table.stream().map(row -> row.get(0)).collect(Collectors.toSet()));
        for (List<String> row : table) {
            assertEquals(List.of("SUCCESS", "0", "hello-42"), row.subList(2, 5), run.toString());
        }
        assertTrue(run.stdout().strip().endsWith("Task " + taskIdOf(run) + " SUCCESS."), run.toString());
        assertEquals("", run.stderr());
    }

    @Test
    void recordsAndTasksAsJsonAreTheApisAnswers() {
        String taskId = cli.run("run", "--no-follow", "--command", "echo rec", "--pool", fleet.poolId()).expect(0).strip();
        executions.awaitTerminal(taskId, PATIENCE);

        JsonNode records = cli.run("records", "--task", taskId, "--output", "json").json();
        assertEquals(3, records.get("count").asInt(), records.toString());
        assertEquals(3, records.get("script_records").size());
        for (JsonNode record : records.get("script_records")) {
            assertEquals(taskId, record.get("script_task_id").asText());
            assertEquals("SUCCESS", record.get("status").asText());
        }
        JsonNode viaApi = api.get("/v2/" + PROJECT + "/script-execution-records?script_task_id=" + taskId + "&limit=100")
                .expect(200);
        assertEquals(viaApi, records);

        JsonNode tasks = cli.run("tasks", "--task", taskId, "-o", "json").json();
        assertEquals("SUCCESS", tasks.get("script_tasks").get(0).get("status").asText());
        assertEquals(3, rows(cli.run("records", "--task", taskId).expect(0)).size());
    }

    @Test
    void aScheduleIsPreviewedCreatedModifiedAndDeleted() {
        String[] when = {"--scheduled-type", "WEEK", "--week-list", "2,3,4,5,6", "--scheduled-time", "02:30:00",
                "--time-zone", "Asia/Shanghai"};
        List<String> preview = cli.run(concat(new String[] {"schedule", "preview"}, when)).expect(0).lines().toList();
        ObjectNode previewBody = RestClient.JSON.createObjectNode().put("scheduled_type", "WEEK")
                .put("week_list", "2,3,4,5,6").put("scheduled_time", "02:30:00").put("time_zone", "Asia/Shanghai");
        List<String> expected = new ArrayList<>();
        api.post("/v2/" + PROJECT + "/scheduled-tasks/future-executions", previewBody).expect(200)
                .get("future_executions").forEach(t -> expected.add(t.asText() + "  Asia/Shanghai"));
        assertEquals(5, expected.size());
        assertEquals(expected, preview);

        String taskId = cli.run(concat(new String[] {"schedule", "create", "--name", "nightly cleanup",
                "--task-type", "EXECUTE_SCRIPT", "--command", "rm -rf /tmp/cache", "--pool", fleet.poolId()}, when))
                .expect(0).strip();
        JsonNode stored = api.get("/v2/" + PROJECT + "/scheduled-tasks/" + taskId).expect(200);
        assertEquals("nightly cleanup", stored.get("task_name").asText());
        assertEquals("2,3,4,5,6", stored.get("week_list").asText());
        assertEquals("{\"command_content\":\"rm -rf /tmp/cache\",\"command_type\":\"SHELL\"}",
                stored.get("extra_params").asText());
        assertEquals(fleet.poolId(), stored.get("apply_objects").get(0).get("object_id").asText());
        assertTrue(cli.run("schedule", "list", "-o", "json").expect(0).contains(taskId));

        cli.run("schedule", "modify", taskId, "--scheduled-time", "04:00:00").expect(0);
        JsonNode modified = api.get("/v2/" + PROJECT + "/scheduled-tasks/" + taskId).expect(200);
        assertEquals("04:00:00", modified.get("scheduled_time").asText());
        assertEquals("nightly cleanup", modified.get("task_name").asText(), "fields not given are kept");

        cli.run("schedule", "delete", taskId).expect(0);
        assertEquals(404, api.get("/v2/" + PROJECT + "/scheduled-tasks/" + taskId).status());
    }

    @Test
    void errorsAreOneLineWithTheApisMessageAndTheDocumentedExitCode() {
        CliProcess.Result refused = cli.run("run", "--command", "true", "--pool", fleet.poolId(), "--gray-count", "5000");
        assertEquals(1, refused.exitCode(), refused.toString());
        assertEquals("error: WKS.00211102: gray_count: must be between 0 and 1000\n", refused.stderr());
        assertEquals("", refused.stdout());

        CliProcess.Result missing = cli.run("scripts", "delete", "no-such-script");
        assertEquals(1, missing.exitCode(), missing.toString());
        assertTrue(missing.stderr().startsWith("error: WKS.00210404: "), missing.toString());
        assertEquals(1, missing.stderr().lines().count(), missing.toString());

        CliProcess.Result usage = cli.run("run", "--pool", fleet.poolId());
        assertEquals(2, usage.exitCode(), usage.toString());
        assertTrue(usage.stderr().startsWith("give either --command or --script"), usage.toString());

        CliProcess.Result notLoggedIn = new CliProcess(dir.resolve("cli-nobody")).run("pools");
        assertEquals(2, notLoggedIn.exitCode(), notLoggedIn.toString());
        assertTrue(notLoggedIn.stderr().startsWith("error: not logged in"), notLoggedIn.toString());

        String nowhere = CliProcess.unreachableEndpoint();
        CliProcess.Result unreachable = new CliProcess(dir.resolve("cli-nowhere")).withEnv("DESKFLEET_PASSWORD", "x")
                .run("login", "--endpoint", nowhere, "--user", "admin", "--project-id", PROJECT);
        assertEquals(1, unreachable.exitCode(), unreachable.toString());
        assertTrue(unreachable.stderr().startsWith("error: cannot reach " + nowhere), unreachable.toString());
        assertEquals(1, unreachable.stderr().lines().count(), unreachable.toString());

        for (CliProcess.Result result : List.of(refused, missing, usage, notLoggedIn, unreachable)) {
            assertFalse(result.stderr().contains("Exception") || result.stderr().contains("\tat "), result.toString());
        }
    }

    /** The data rows of the first table in the output (columns split at two or more spaces). */
    static List<List<String>> rows(String stdout) {
        List<List<String>> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : stdout.lines().toList()) {
            if (!inTable) {
                inTable = line.startsWith("ID ") || line.startsWith("DESKTOP ") || line.startsWith("TASK ");
                continue;
            }
            if (line.isBlank() || line.startsWith("(")) {
                break;
            }
            rows.add(Arrays.asList(line.split(" {2,}")));
        }
        return rows;
    }

    /** The per-desktop table printed when a followed task ends. */
    static List<List<String>> resultTable(String stdout) {
        java.util.regex.Matcher header = java.util.regex.Pattern.compile("(?m)^DESKTOP +BATCH +STATUS").matcher(stdout);
        assertTrue(header.find(), "no result table in:\n" + stdout);
        return rows(stdout.substring(header.start()));
    }

    static String taskIdOf(CliProcess.Result run) {
        String first = run.stdout().lines().findFirst().orElse("");
        assertTrue(first.matches("Task \\S+ started\\."), run.toString());
        return first.split(" ")[1];
    }

    static String[] concat(String[] a, String[] b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
