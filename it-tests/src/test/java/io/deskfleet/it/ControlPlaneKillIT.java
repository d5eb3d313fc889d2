package io.deskfleet.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.it.harness.AgentProcess;
import io.deskfleet.it.harness.Await;
import io.deskfleet.it.harness.ControlPlaneProcess;
import io.deskfleet.it.harness.Executions;
import io.deskfleet.it.harness.Fleet;
import io.deskfleet.it.harness.InvocationLog;
import io.deskfleet.it.harness.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The control plane dies or stops while a fleet of real agents runs a rollout, and comes back on the same database.
 * {@link CrashRecoveryIT} covers a kill during the gray batch of a few desktops; here a kill -9 lands in the middle
 * of a later batch of a 21-desktop rollout, and a result outlives both the control plane and its agent's process.
 * Each command writes its invocation id to its desktop's log ({@link InvocationLog}), so a second run would show.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControlPlaneKillIT {
    static final String PROJECT = "proj-cp-kill";
    static final int DESKTOPS = 21;
    static final Duration PATIENCE = Duration.ofSeconds(120);

    @TempDir
    static Path dir;
    ControlPlaneProcess cp;
    Fleet fleet;

    @BeforeAll
    void start() {
        cp = new ControlPlaneProcess(dir).start();
        fleet = Fleet.create(cp, cp.admin(PROJECT), dir, PROJECT, "kill-pool", DESKTOPS);
        fleet.startRegisteredAgents("kill", DESKTOPS);
    }

    @AfterAll
    void stop() {
        fleet.close();
        cp.close();
    }

    @Test
    void kill9InTheMiddleOfALaterBatchEndsEveryRecordAndRunsNothingTwice() {
        Executions executions = new Executions(cp.admin(PROJECT), PROJECT);
        // Gray batch of 1, then two batches of 10: the kill lands while the first of those runs.
        String taskId = executions.onPool(fleet.poolId(), Executions.command(
                InvocationLog.appendId() + "; sleep 2; echo run").put("gray_count", 1).put("max_concurrency", 10));
        Await.until("the second batch running", PATIENCE, () -> InvocationLog.runs(fleet.agents()).size(),
                n -> n > 1);

        cp.kill();
        // Commands finish while nobody listens: their agents spool the results.
        sleep(3_000);
        cp.start();

        Executions resumed = new Executions(cp.admin(PROJECT), PROJECT);
        JsonNode task = resumed.awaitTerminal(taskId, PATIENCE);
        assertEquals("SUCCESS", task.get("status").asText(), task.toString());
        assertEquals(DESKTOPS, task.get("success_num").asInt() + task.get("failed_num").asInt()
                + task.get("skip_num").asInt(), task.toString());
        assertEquals(DESKTOPS, task.get("success_num").asInt(), task.toString());
        Map<String, Integer> runs = InvocationLog.runs(fleet.agents());
        List<JsonNode> records = resumed.records(taskId);
        assertEquals(DESKTOPS, records.size());
        for (JsonNode record : records) {
            assertEquals("SUCCESS", record.get("status").asText(), record.toString());
            assertEquals("run", record.get("output").asText().strip(), record.toString());
            assertEquals(1, runs.getOrDefault(record.get("id").asText(), 0), "runs of " + record);
        }
        assertEquals(List.of(), InvocationLog.repeated(runs), "invocations that ran twice");
        fleet.awaitOnline(DESKTOPS);
    }

    @Test
    void aResultFinishedWhileTheControlPlaneIsDownSurvivesAnAgentRestart() throws Exception {
        Executions executions = new Executions(cp.admin(PROJECT), PROJECT);
        fleet.awaitOnline(DESKTOPS);
        AgentProcess agent = fleet.agents().get(0);
        String desktopId = desktopIdOf(agent);
        String taskId = executions.onPool(fleet.poolId(), Executions.command(InvocationLog.appendId()
                + "; sleep 3; echo spooled").set("desktop_ids", RestClient.JSON.createArrayNode().add(desktopId)));
        String invocationId = executions.records(taskId).get(0).get("id").asText();
        Await.until("the command running", PATIENCE, () -> InvocationLog.of(agent), ids -> ids.contains(invocationId));

        assertEquals(143, cp.terminate(), "exit status after SIGTERM");
        Path spooled = agent.stateDir().resolve("invocations").resolve(invocationId).resolve("result.pb");
        Await.until("the result spooled while the control plane is down", PATIENCE, () -> Files.exists(spooled),
                exists -> exists);
        agent.kill();
        cp.start();
        AgentProcess restarted = fleet.restart(agent);

        Executions resumed = new Executions(cp.admin(PROJECT), PROJECT);
        JsonNode task = resumed.awaitTerminal(taskId, PATIENCE);
        assertEquals("SUCCESS", task.get("status").asText(), task.toString());
        JsonNode record = resumed.records(taskId).get(0);
        assertEquals(invocationId, record.get("id").asText());
        assertEquals("spooled", record.get("output").asText().strip(), record.toString());
        Await.until("the spooled result acknowledged", PATIENCE, () -> Files.exists(spooled), exists -> !exists);
        assertTrue(Files.exists(spooled.resolveSibling("acked")));
        assertEquals(1, InvocationLog.runs(List.of(restarted)).get(invocationId), "runs of " + invocationId);
    }

    private String desktopIdOf(AgentProcess agent) {
        for (JsonNode desktop : fleet.desktops().get("desktops")) {
            if (desktop.get("computer_name").asText().equals(agent.name())) {
                return desktop.get("desktop_id").asText();
            }
        }
        throw new AssertionError("no desktop named " + agent.name());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
