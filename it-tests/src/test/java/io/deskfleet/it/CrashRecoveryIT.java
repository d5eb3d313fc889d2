package io.deskfleet.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.it.harness.Await;
import io.deskfleet.it.harness.ControlPlaneProcess;
import io.deskfleet.it.harness.Executions;
import io.deskfleet.it.harness.Fleet;
import io.deskfleet.it.harness.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** kill -9 of the control plane in the middle of a rollout loses nothing and runs nothing twice. */
class CrashRecoveryIT {
    static final String PROJECT = "proj-crash";
    static final Duration PATIENCE = Duration.ofSeconds(90);
    @TempDir
    Path dir;

    @Test
    void rolloutResumesAfterKill9AndEveryDesktopRunsOnce() throws IOException {
        Path marks = Files.createDirectories(dir.resolve("marks"));
        try (ControlPlaneProcess cp = new ControlPlaneProcess(dir).start()) {
            RestClient api = cp.admin(PROJECT);
            try (Fleet fleet = Fleet.create(cp, api, dir, PROJECT, "crash-pool", 4)) {
                fleet.startAgents("crash", 4);
                Executions executions = new Executions(api, PROJECT);
                String taskId = executions.onPool(fleet.poolId(), Executions.command(
                        "mktemp " + marks + "/ran.XXXXXX >/dev/null; sleep 3; echo done").put("gray_count", 1));
                Await.until("the gray desktop running", PATIENCE, () -> count(marks), n -> n == 1);

                cp.kill();
                // The gray command ends while nobody listens: its agent keeps the result for later.
                sleep(4_000);
                cp.start();

                RestClient again = cp.admin(PROJECT);
                Executions resumed = new Executions(again, PROJECT);
                JsonNode task = resumed.awaitTerminal(taskId, PATIENCE);
                assertEquals("SUCCESS", task.get("status").asText(), task.toString());
                assertEquals(4, task.get("success_num").asInt(), task.toString());
                List<JsonNode> records = resumed.records(taskId);
                for (JsonNode record : records) {
                    assertEquals("SUCCESS", record.get("status").asText(), record.toString());
                    assertEquals("done", record.get("output").asText().strip(), record.toString());
                }
                assertEquals(4, count(marks), "each desktop ran the command exactly once");
            }
        }
    }

    @Test
    void anAcknowledgedTaskSurvivesAnImmediateKill9() throws IOException {
        Path marks = Files.createDirectories(dir.resolve("marks-now"));
        try (ControlPlaneProcess cp = new ControlPlaneProcess(dir).start()) {
            RestClient api = cp.admin(PROJECT);
            try (Fleet fleet = Fleet.create(cp, api, dir, PROJECT, "kill-now-pool", 3)) {
                fleet.startAgents("now", 3);
                String taskId = new Executions(api, PROJECT).onPool(fleet.poolId(), Executions.command(
                        "mktemp " + marks + "/ran.XXXXXX >/dev/null; echo done").put("gray_count", 1));
                cp.kill();
                cp.start();

                Executions resumed = new Executions(cp.admin(PROJECT), PROJECT);
                JsonNode task = resumed.awaitTerminal(taskId, PATIENCE);
                assertEquals("SUCCESS", task.get("status").asText(), task.toString());
                assertEquals(3, task.get("success_num").asInt(), task.toString());
                assertEquals(3, count(marks), "each desktop ran the command exactly once");
            }
        }
    }

    private static long count(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
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
