package io.deskfleet.controlplane.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.InvocationStatus;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.controlplane.TestAgent;
import io.deskfleet.controlplane.agentlink.AgentLinkServer;
import io.deskfleet.controlplane.db.Database;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A task stored by a version before V32 (name-based UUID record ids) is still running when the control plane is
 * upgraded: the resumed task sends its commands under the ids it was created with, while new tasks get
 * numbered ids. A changed id would make the agent run the command again.
 */
class RecordIdUpgradeTest {
    private static final String P = "upgrade";
    private final ControlPlaneOnDatabase db = new ControlPlaneOnDatabase(P);

    @Test
    void aTaskStoredWithNameBasedIdsKeepsThemAfterAnUpgradeAndNewTasksAreNumbered() throws Exception {
        String taskId = UUID.randomUUID().toString();
        String poolId;
        RegisterResponse desktop;
        try (EmbeddedServer server = db.start()) {
            String token = db.login(server);
            poolId = db.send(server, token, "POST", "/desktop-pools", "{\"name\":\"up\",\"type\":\"DYNAMIC\"}")
                    .get("id").asText();
            JsonNode activation = db.send(server, token, "POST", "/agent-activations",
                    "{\"pool_id\":\"" + poolId + "\",\"registration_limit\":1}");
            try (TestAgent agent = new TestAgent(server.getApplicationContext().getBean(AgentLinkServer.class).port())) {
                desktop = agent.register(P, activation.get("activation_id").asText(),
                        activation.get("activation_code").asText(), poolId, "pc-up", Map.of());
            }
            storeAsBeforeV32(server.getApplicationContext().getBean(Database.class), taskId, poolId,
                    desktop.getDesktopId());
        }

        String oldId = RecordIds.NAME_UUID.of(taskId, desktop.getDesktopId(), 0, 1);
        assertNotEquals(RecordIds.CURRENT.of(taskId, desktop.getDesktopId(), 0, 1), oldId);
        try (EmbeddedServer server = db.start();
             TestAgent agent = new TestAgent(server.getApplicationContext().getBean(AgentLinkServer.class).port())) {
            String token = db.login(server);
            TestAgent.Link link = agent.connect(desktop.getDesktopId(), desktop.getDesktopCredential());
            assertTrue(link.next().hasWelcome());
            assertEquals(oldId, nextRun(link), "the resumed task's command keeps its stored id");
            link.send(result(oldId, "resumed"));
            assertEquals(oldId, link.next().getAck().getInvocationId());
            JsonNode record = db.send(server, token, "GET", "/script-execution-records/" + oldId, null);
            assertEquals("SUCCESS", record.get("status").asText(), record::toString);
            assertEquals("resumed", record.get("output").asText(), record::toString);
            assertEquals("SUCCESS", task(server, token, taskId).get("status").asText());

            String newTask = db.send(server, token, "POST", "/desktop-pools/" + poolId + "/script-executions",
                    "{\"command_content\":\"echo new\",\"command_type\":\"SHELL\"}").get("task_id").asText();
            String newId = nextRun(link);
            // numbered after the stored record (number 1): the next free number, as 16 hex digits
            assertEquals(newTask + "-0000000000000002", newId);
            assertEquals(RecordIds.KEYED.of(newTask, desktop.getDesktopId(), 0, 2), newId);
            link.send(result(newId, "new"));
            assertEquals(newId, link.next().getAck().getInvocationId());
            assertEquals("new", db.send(server, token, "GET", "/script-execution-records/" + newId, null)
                    .get("output").asText());
        }
    }

    /** The rows the previous version's ExecutionStore wrote for a one-desktop command task, before any dispatch. */
    private static void storeAsBeforeV32(Database db, String taskId, String poolId, String desktopId) {
        OffsetDateTime now = OffsetDateTime.now();
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO execution_tasks (id, project_id, pool_id, task_type, status, gray_fail_threshold,
                        execution_timeout, pre_start, post_finish, target_count, success_num, failed_num, skip_num,
                        retry_of, created_at, start_time)
                    VALUES (?, ?, ?, 'COMMAND', 'RUNNING', 0, 60, 'NONE', 'NONE', 1, 0, 0, 0, NULL, ?, ?)""")) {
                ps.setString(1, taskId);
                ps.setString(2, P);
                ps.setString(3, poolId);
                ps.setObject(4, now);
                ps.setObject(5, now);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO execution_task_steps (task_id, step, script_id, script_name, script_type, content)
                    VALUES (?, 0, NULL, NULL, 'SHELL', 'echo resumed')""")) {
                ps.setString(1, taskId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO execution_records (id, task_id, project_id, desktop_id, desktop_name, step,
                        execute_order, batch_index, record_key)
                    VALUES (?, ?, ?, ?, 'pc-up', 0, 0, 0, 1)""")) {
                ps.setString(1, RecordIds.NAME_UUID.of(taskId, desktopId, 0, 1));
                ps.setString(2, taskId);
                ps.setString(3, P);
                ps.setString(4, desktopId);
                ps.executeUpdate();
            }
            // as V58 would have counted it, had the record been stored before that migration ran
            try (PreparedStatement ps = c.prepareStatement("UPDATE record_key_counter SET next_key = 2")) {
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static String nextRun(TestAgent.Link link) throws InterruptedException {
        ControlMessage message = link.next();
        assertTrue(message.hasRun(), message::toString);
        return message.getRun().getInvocationId();
    }

    private static AgentMessage result(String invocationId, String output) {
        long now = System.currentTimeMillis();
        return AgentMessage.newBuilder().setResult(InvocationResult.newBuilder().setInvocationId(invocationId)
                .setStatus(InvocationStatus.INVOCATION_STATUS_EXITED).setExitCode(0).setOutput(output)
                .setStartedAtUnixMs(now - 100).setFinishedAtUnixMs(now)).build();
    }

    private JsonNode task(EmbeddedServer server, String token, String taskId) throws Exception {
        return db.send(server, token, "GET", "/script-execution-tasks?task_id=" + taskId, null).get("script_tasks")
                .get(0);
    }
}
