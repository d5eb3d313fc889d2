package io.deskfleet.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.it.harness.Await;
import io.deskfleet.it.harness.CliProcess;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.deskfleet.it.CliIT.resultTable;
import static io.deskfleet.it.CliIT.rows;
import static io.deskfleet.it.CliIT.taskIdOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 26: the CLI commands an admin works with besides run, with the real CLI jar against the real control plane
 * and real agents: pools and activations created by the CLI (the agents below register with them), stop, retry,
 * output, approvals, and what Ctrl-C does to a followed run.
 */
class CliOperationsIT {
    static final String PROJECT = "proj-cli-ops";
    static final Duration PATIENCE = Duration.ofSeconds(60);
    @TempDir
    static Path dir;
    static ControlPlaneProcess cp;
    static RestClient api;
    static Executions executions;
    static CliProcess cli;
    static CliProcess bob;
    static Fleet fleet;
    static Fleet prod;

    @BeforeAll
    static void start() {
        cp = new ControlPlaneProcess(dir).start();
        api = cp.admin(PROJECT);
        executions = new Executions(api, PROJECT);
        cli = new CliProcess(dir.resolve("cli")).withEnv("DESKFLEET_PASSWORD", ControlPlaneProcess.ADMIN_PASSWORD);
        cli.run("login", "--endpoint", cp.baseUrl(), "--user", ControlPlaneProcess.ADMIN_USER,
                "--project-id", PROJECT).expect(0);
        fleet = fleetByCli("ops-pool", 3);
        fleet.startAgents("ops", 3);
        prod = fleetByCli("prod-pool", 1);
        prod.startAgents("prod", 1);
        api.post("/v2/" + PROJECT + "/protected-targets", RestClient.JSON.createObjectNode()
                .put("object_type", "DESKTOP_POOL").put("object_id", prod.poolId())).expect(200);
        api.put("/v2/" + PROJECT + "/users/bob", RestClient.JSON.createObjectNode()
                .put("password", "bob-Password-1").put("role", "admin")).expect(201);
        bob = new CliProcess(dir.resolve("cli-bob")).withEnv("DESKFLEET_PASSWORD", "bob-Password-1");
        bob.run("login", "--endpoint", cp.baseUrl(), "--user", "bob", "--project-id", PROJECT).expect(0);
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
        if (prod != null) {
            prod.close();
        }
        cp.close();
    }

    /** A pool and an activation made with the CLI alone, as the README's steps do. */
    static Fleet fleetByCli(String poolName, int agents) {
        String poolId = cli.run("pools", "create", "--name", poolName).expect(0).strip();
        String assignments = cli.run("activations", "create", "--pool", poolId, "--registration-limit",
                Integer.toString(agents)).expect(0);
        Map<String, String> values = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^(ACTIVATION_\\w+)='([^']*)'$").matcher(assignments);
        while (m.find()) {
            values.put(m.group(1), m.group(2));
        }
        assertEquals(Set.of("ACTIVATION_ID", "ACTIVATION_CODE"), values.keySet(), assignments);
        return Fleet.of(cp, api, dir, PROJECT, poolId, values.get("ACTIVATION_ID"), values.get("ACTIVATION_CODE"));
    }

    @Test
    void poolsAndActivationsCreatedByTheCliTakeAgentsAndADuplicateNameFailsLoudly() {
        JsonNode pool = api.get("/v2/" + PROJECT + "/desktop-pools/" + fleet.poolId()).expect(200);
        assertEquals("ops-pool", pool.get("name").asText());
        assertEquals("DYNAMIC", pool.get("type").asText());
        assertEquals(3, Fleet.onlineCount(fleet.desktops()), "the agents registered with the CLI's activation");

        CliProcess.Result again = cli.run("pools", "create", "--name", "ops-pool");
        assertEquals(1, again.exitCode(), again.toString());
        assertEquals("", again.stdout(), "nothing a script could take for an id");
        assertTrue(again.stderr().startsWith("error: WKS.00210409: "), again.toString());

        JsonNode json = cli.run("activations", "create", "--pool", fleet.poolId(), "-o", "json").json();
        assertEquals(fleet.poolId(), json.get("pool_id").asText());
        assertEquals(1, json.get("registration_limit").asInt());
        CliProcess.Result noPool = cli.run("activations", "create", "--pool", "no-such-pool");
        assertEquals(1, noPool.exitCode(), noPool.toString());
        assertTrue(noPool.stderr().startsWith("error: WKS.00210404: "), noPool.toString());
    }

    /**
     * One desktop of the gray batch fails: its output shows while the task runs, the totals are whole from the first
     * line, records show whole ids, outputs and reasons, and retry runs the failed desktop again.
     */
    @Test
    void aFailureIsShownLiveAndRetryRunsTheFailedDesktopAgain() {
        Path slot = dir.resolve("fail-slot-" + System.nanoTime());
        String command = "if mkdir " + slot + " 2>/dev/null; then echo broken; echo 'it broke' >&2; exit 3;"
                + " else echo fine; fi";
        CliProcess.Result run = cli.run("run", "--command", command, "--pool", fleet.poolId(), "--gray-count", "2",
                "--gray-fail-threshold", "2");
        assertEquals(3, run.exitCode(), run.toString());
        String taskId = taskIdOf(run);
        String stdout = run.stdout();
        int table = stdout.indexOf("DESKTOP  BATCH");
        Matcher note = Pattern.compile("(?m)^(ops-\\d) \\(gray\\) FAILED, exit 3: the script exited with code 3\n"
                + "  \\| broken\n  \\| it broke$").matcher(stdout);
        assertTrue(note.find() && note.start() < table, "the failure is shown before the table:\n" + stdout);
        String failedDesktop = note.group(1);

        List<String> batchLines = stdout.lines().filter(l -> l.matches("(gray|rest) +\\[.*")).toList();
        assertFalse(batchLines.isEmpty(), stdout);
        batchLines.stream().filter(l -> l.startsWith("gray"))
                .forEach(l -> assertTrue(l.matches(".*\\] [12]/2 .*"), "gray is 2 desktops from the start: " + l));
        batchLines.stream().filter(l -> l.startsWith("rest"))
                .forEach(l -> assertTrue(l.contains("] 1/1 "), l));
        List<String> statusLines = stdout.lines().filter(l -> l.startsWith("task " + taskId)).toList();
        assertEquals("task " + taskId + "  FAILED  succeeded 2, failed 1, skipped 0",
                statusLines.get(statusLines.size() - 1), stdout);

        List<List<String>> records = rows(cli.run("records", "--task", taskId).expect(0));
        Map<String, String> ids = new HashMap<>();
        executions.records(taskId).forEach(r -> ids.put(r.get("resource_name").asText(), r.get("id").asText()));
        assertEquals(3, records.size(), records.toString());
        for (List<String> row : records) {
            assertEquals(ids.get(row.get(1)), row.get(0), "whole record ids: " + row);
            boolean failed = row.get(1).equals(failedDesktop);
            assertEquals(failed ? List.of("FAILED", "3") : List.of("SUCCESS", "0"), row.subList(4, 6), row.toString());
            assertEquals(failed ? "broken ..." : "fine", row.get(8), row.toString());
            assertEquals(failed ? "the script exited with code 3" : "-", row.get(9), row.toString());
        }

        CliProcess.Result retry = cli.run("retry", taskId);
        List<List<String>> retried = resultTable(retry.expect(0));
        assertEquals(List.of(List.of(failedDesktop, "all", "SUCCESS", "0", "fine")), retried, retry.toString());
        String retryId = taskIdOf(retry);
        assertEquals(List.of(desktopId(failedDesktop)),
                toList(executions.task(retryId).get("resource_ids")));

        CliProcess.Result nothingToRetry = cli.run("retry", retryId);
        assertEquals(1, nothingToRetry.exitCode(), nothingToRetry.toString());
        assertTrue(nothingToRetry.stderr().startsWith("error: WKS.00210409: "), nothingToRetry.toString());
    }

    /** Without a terminal nobody can be asked: Ctrl-C leaves the task running; stop ends it. */
    @Test
    void ctrlCWithoutATerminalLeavesTheTaskRunningAndStopEndsIt() {
        CliProcess.Running running = cli.startInterruptible("run", "--command", "sleep 30", "--pool", fleet.poolId());
        String taskId = awaitRunning(running);
        running.interrupt();
        CliProcess.Result left = running.await();
        assertEquals(130, left.exitCode(), left.toString());
        assertTrue(left.stdout().contains("Interrupted. Task " + taskId + " goes on; 'deskfleet stop " + taskId
                + "' stops it"), left.toString());
        assertEquals("RUNNING", executions.task(taskId).get("status").asText());

        assertEquals("Task " + taskId + " stopped.\n", cli.run("stop", taskId).expect(0));
        assertEquals("CANCELLED", executions.task(taskId).get("status").asText());
        Await.until("the stopped desktops settled", PATIENCE, () -> executions.task(taskId),
                task -> !task.path("end_time").isMissingNode() && !task.get("end_time").isNull());
        CliProcess.Result again = cli.run("stop", taskId);
        assertEquals(1, again.exitCode(), again.toString());
        assertTrue(again.stderr().startsWith("error: WKS.00210409: "), again.toString());
        CliProcess.Result both = cli.run("stop", taskId, "--record", "r");
        assertEquals(2, both.exitCode(), both.toString());
    }

    /** On a terminal (a pseudo-terminal here), Ctrl-C asks; yes stops the task and following shows it cancelled. */
    @Test
    void ctrlCOnATerminalAsksAndYesStopsTheTask() {
        CliProcess.Running running = cli.startOnTerminal("run", "--command", "sleep 30", "--pool", fleet.poolId());
        String taskId = awaitRunning(running);
        running.type("\u0003");
        Await.until("the question", PATIENCE, running::stdoutSoFar,
                out -> out.contains("Stop task " + taskId + " on every desktop? [y/N] "));
        running.type("y\n");
        CliProcess.Result stopped = running.await();
        assertEquals(3, stopped.exitCode(), stopped.toString());
        assertTrue(stopped.stdout().contains("Stopping task " + taskId), stopped.toString());
        assertTrue(stopped.stdout().contains("\033[2K"), "bars drawn in place on a terminal: " + stopped);
        assertTrue(stopped.stdout().strip().endsWith("Task " + taskId + " CANCELLED."), stopped.toString());
        assertEquals("CANCELLED", executions.task(taskId).get("status").asText());
    }

    @Test
    void ctrlCWithStopOnInterruptStopsTheTaskAndShowsHowItEnded() {
        CliProcess.Running running = cli.startInterruptible("run", "--stop-on-interrupt", "--command", "sleep 30",
                "--pool", fleet.poolId());
        String taskId = awaitRunning(running);
        running.interrupt();
        CliProcess.Result stopped = running.await();
        assertEquals(3, stopped.exitCode(), stopped.toString());
        assertTrue(stopped.stdout().contains("Stopping task " + taskId), stopped.toString());
        List<List<String>> table = resultTable(stopped.stdout());
        assertEquals(3, table.size(), stopped.toString());
        table.forEach(row -> assertEquals("CANCELLED", row.get(2), stopped.toString()));
        assertTrue(stopped.stdout().strip().endsWith("Task " + taskId + " CANCELLED."), stopped.toString());
        assertEquals("CANCELLED", executions.task(taskId).get("status").asText());
    }

    /** More than the record's 64 KiB excerpt, byte for byte; one desktop, or all of them under headers. */
    @Test
    void outputPrintsTheWholeOutputOfADesktopOrOfEach() {
        String taskId = cli.run("run", "--no-follow", "--command", "seq 1 20000", "--pool", fleet.poolId())
                .expect(0).strip();
        executions.awaitTerminal(taskId, PATIENCE);
        String expected = IntStream.rangeClosed(1, 20000).mapToObj(Integer::toString)
                .collect(Collectors.joining("\n", "", "\n"));
        assertTrue(expected.length() > 64 * 1024);
        assertEquals(expected, cli.run("output", taskId, "--desktop", "ops-2").expect(0));
        assertEquals(expected, cli.run("output", taskId, "--desktop", desktopId("ops-3")).expect(0));

        String all = cli.run("output", taskId).expect(0);
        for (String name : List.of("ops-1", "ops-2", "ops-3")) {
            assertTrue(all.contains("==> " + name + " SUCCESS <==\n" + expected), name);
        }

        CliProcess.Result noTask = cli.run("output", "no-such-task");
        assertEquals(1, noTask.exitCode(), noTask.toString());
        assertEquals("error: task no-such-task does not exist\n", noTask.stderr());
        CliProcess.Result noDesktop = cli.run("output", taskId, "--desktop", "prod-1");
        assertEquals(1, noDesktop.exitCode(), noDesktop.toString());
    }

    /** --follow prints what was written before it came, then the rest live, and returns when the records end. */
    @Test
    void outputFollowsEveryDesktopLineByLineUntilTheRecordsEnd() {
        String command = "for i in 1 2 3 4; do echo step-$i; sleep 1; done";
        String taskId = cli.run("run", "--no-follow", "--command", command, "--pool", fleet.poolId()).expect(0).strip();
        Await.until("output begun", PATIENCE, () -> executions.records(taskId),
                records -> records.stream().allMatch(r -> r.get("status").asText().equals("RUNNING")));
        CliProcess.Result followed = cli.run("output", taskId, "--follow");
        assertEquals(0, followed.exitCode(), followed.toString());
        for (String name : List.of("ops-1", "ops-2", "ops-3")) {
            List<String> lines = followed.stdout().lines().filter(l -> l.startsWith(name + " | ")).toList();
            assertEquals(List.of(name + " | step-1", name + " | step-2", name + " | step-3", name + " | step-4"),
                    lines, followed.toString());
        }
        executions.awaitTerminal(taskId, PATIENCE);

        CliProcess.Result one = cli.run("output", taskId, "--desktop", "ops-1", "--follow");
        assertEquals("step-1\nstep-2\nstep-3\nstep-4\n", one.expect(0), "a finished record: all of it, at once");
    }

    @Test
    void aHeldRunWaitsForASecondAdminsApprovalOnTheCommandLine() {
        CliProcess.Running run = cli.startInterruptible("run", "--command", "echo approved-run", "--pool",
                prod.poolId());
        String taskId = Await.until("the held run's hint", PATIENCE, run::stdoutSoFar,
                out -> out.contains("waits until another admin")).lines().findFirst().orElseThrow().split(" ")[1];

        List<List<String>> queue = rows(cli.run("approvals", "list", "--status", "PENDING_APPROVAL").expect(0));
        assertEquals(1, queue.size(), queue.toString());
        assertEquals(List.of(taskId, "PENDING_APPROVAL", "admin", "1"), queue.get(0).subList(0, 4));

        CliProcess.Result own = cli.run("approvals", "approve", taskId);
        assertEquals(1, own.exitCode(), own.toString());
        assertTrue(own.stderr().startsWith("error: WKS.00210403: "), own.toString());

        assertEquals("Task " + taskId + " APPROVED by bob.\n", bob.run("approvals", "approve", taskId).expect(0));
        CliProcess.Result ran = run.await();
        assertEquals(List.of(List.of("prod-1", "all", "SUCCESS", "0", "approved-run")), resultTable(ran.expect(0)));

        String withdrawn = cli.run("run", "--no-follow", "--command", "echo never", "--pool", prod.poolId())
                .expect(0).strip();
        assertEquals("Task " + withdrawn + " REJECTED by admin: not tonight\n",
                cli.run("approvals", "reject", withdrawn, "--reason", "not tonight").expect(0));
        assertEquals("CANCELLED", executions.task(withdrawn).get("status").asText());
        CliProcess.Result noReason = bob.run("approvals", "reject", withdrawn);
        assertEquals(2, noReason.exitCode(), noReason.toString());
    }

    /** Waits until a followed run's task has every record RUNNING; returns the task id. */
    static String awaitRunning(CliProcess.Running running) {
        String first = Await.until("the task id", PATIENCE, running::stdoutSoFar, out -> out.contains(" started."));
        String taskId = first.lines().findFirst().orElseThrow().split(" ")[1];
        Await.until("every record RUNNING", PATIENCE, () -> executions.records(taskId),
                records -> records.stream().allMatch(r -> r.get("status").asText().equals("RUNNING")));
        return taskId;
    }

    static String desktopId(String name) {
        for (JsonNode desktop : fleet.desktops().get("desktops")) {
            if (desktop.get("computer_name").asText().equals(name)) {
                return desktop.get("desktop_id").asText();
            }
        }
        throw new AssertionError("no desktop " + name);
    }

    static List<String> toList(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
