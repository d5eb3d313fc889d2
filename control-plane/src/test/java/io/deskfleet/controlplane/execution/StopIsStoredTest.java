package io.deskfleet.controlplane.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.deskfleet.controlplane.TestAgent;
import io.deskfleet.controlplane.db.Database;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stop is answered only once what it changed is stored: the cancelled records and the task's new state. Otherwise
 * a read right after the answer shows the task still running, and a control plane that dies just after answering
 * forgets the stop and runs the rest of the task when it comes back.
 */
@MicronautTest(transactional = false)
class StopIsStoredTest extends ControlPlaneTestBase {
    private static final String P = "stop-stored";

    @Inject
    Database db;

    private TestAgent agent;

    @BeforeAll
    void openAgent() {
        agent = new TestAgent(agentLink.port());
    }

    @AfterAll
    void closeAgent() throws InterruptedException {
        agent.close();
    }

    @Test
    void theStopIsAnsweredAfterItsRecordsAndTaskStateAreStored() throws Exception {
        String poolId = createPool(P, "stop-pool");
        String[] activation = createActivation(P, poolId, 1);
        // Registered but never connected: its command cannot be delivered, so a stop cancels it at once.
        RegisterResponse desktop = agent.register(P, activation[0], activation[1], poolId, "offline-pc", Map.of());
        String taskId = post(P, "/desktop-pools/" + poolId + "/script-executions",
                "{\"command_content\":\"true\",\"command_type\":\"SHELL\"}").body().get("task_id").asText();

        // Holding the task's row keeps the result writer from storing the stop until it is let go.
        CompletableFuture<Response> stop = db.inTransaction(c -> {
            try (PreparedStatement lock = c.prepareStatement("SELECT id FROM execution_tasks WHERE id = ? FOR UPDATE")) {
                lock.setString(1, taskId);
                try (ResultSet rs = lock.executeQuery()) {
                    assertTrue(rs.next());
                }
            }
            CompletableFuture<Response> answer = CompletableFuture.supplyAsync(
                    () -> post(P, "/script-executions/stop", "{\"task_id\":\"" + taskId + "\"}"));
            try {
                answer.get(300, TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillWaiting) {
                // expected: the stop waits for the store
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            assertFalse(answer.isDone(), "the stop was answered before it could be stored");
            return answer;
        });

        Response answer = stop.get(30, TimeUnit.SECONDS);
        assertEquals(200, answer.status(), answer::toString);

        // Read at once, no waiting: what the stop changed is already there.
        JsonNode task = get(P, "/script-execution-tasks?task_id=" + taskId).body();
        JsonNode records = get(P, "/script-execution-records?script_task_id=" + taskId).body();
        assertEquals(desktop.getDesktopId(), records.at("/script_records/0/resource_id").asText(), records::toString);
        assertEquals("CANCELLED", records.at("/script_records/0/status").asText(), records::toString);
        assertEquals("CANCELLED", task.at("/script_tasks/0/status").asText(), task::toString);
    }
}
