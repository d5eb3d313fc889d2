package io.deskfleet.controlplane.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.InvocationStarted;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.controlplane.MovableClock;
import io.deskfleet.controlplane.TestAgent;
import io.deskfleet.controlplane.agentlink.AgentLinkServer;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A provisional outcome survives a restart as provisional: the control plane that resumes the task takes the late
 * result in place of it, counts it while the task still runs, and ends the task by the counts. The first control
 * plane's clock is moved past the delivery window rather than waited for.
 */
class LateResultAfterRestartTest {
    private static final String P = "late-restart";
    private final ControlPlaneOnDatabase db = new ControlPlaneOnDatabase(P);
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();

    @Test
    void aResumedTaskTakesALateResultInPlaceOfItsUnknownRecord() throws Exception {
        Duration deliveryWindow = Duration.ofSeconds(20);
        Map<String, Object> settings = Map.of("deskfleet.execution.delivery-window", deliveryWindow.toSeconds() + "s",
                "deskfleet.agent.offline-after", "2s", MovableClock.ENABLED, "true");
        String taskId;
        String idA;
        String idB;
        RegisterResponse a;
        RegisterResponse b;
        try (EmbeddedServer first = db.start(settings);
             TestAgent agents = new TestAgent(first.getApplicationContext().getBean(AgentLinkServer.class).port())) {
            String token = db.login(first);
            String pool = db.send(first, token, "POST", "/desktop-pools", "{\"name\":\"p\",\"type\":\"DYNAMIC\"}")
                    .get("id").asText();
            JsonNode activation = db.send(first, token, "POST", "/agent-activations",
                    "{\"pool_id\":\"" + pool + "\",\"registration_limit\":2}");
            String activationId = activation.get("activation_id").asText();
            String code = activation.get("activation_code").asText();
            a = agents.register(P, activationId, code, pool, "pc-a", Map.of());
            b = agents.register(P, activationId, code, pool, "pc-b", Map.of());
            TestAgent.Link linkA = online(agents, a);
            TestAgent.Link linkB = online(agents, b);
            taskId = db.send(first, token, "POST", "/desktop-pools/" + pool + "/script-executions",
                    "{\"command_content\":\"sleep 5\",\"command_type\":\"SHELL\"}").get("task_id").asText();
            idA = linkA.nextRun();
            idB = linkB.nextRun();
            linkB.send(AgentMessage.newBuilder().setStarted(InvocationStarted.newBuilder().setInvocationId(idB)
                    .setStartedAtUnixMs(System.currentTimeMillis())).build());
            String recordA = idA;
            String recordB = idB;
            // B started, so the window no longer holds for it; A said nothing, so it ends UNKNOWN once it passes.
            await(() -> status(first, token, recordB).equals("RUNNING"));
            first.getApplicationContext().getBean(MovableClock.class).advance(deliveryWindow.plusSeconds(1));
            await(() -> status(first, token, recordA).equals("UNKNOWN"));
            heartbeats.shutdownNow();
        }

        try (EmbeddedServer second = db.start(settings);
             TestAgent agents = new TestAgent(second.getApplicationContext().getBean(AgentLinkServer.class).port())) {
            String token = db.login(second);
            TestAgent.Link linkA = agents.connect(a.getDesktopId(), a.getDesktopCredential());
            assertTrue(linkA.next().hasWelcome());
            TestAgent.Link linkB = agents.connect(b.getDesktopId(), b.getDesktopCredential(), idB);
            assertTrue(linkB.next().hasWelcome());

            linkA.send(TestAgent.exited(idA, 0, "a"));
            assertEquals(idA, acked(linkA));
            JsonNode task = task(second, token, taskId);
            assertEquals("RUNNING", task.get("status").asText(), task::toString);
            assertEquals(List.of(1, 0, 0), counts(task), task::toString);
            JsonNode record = db.send(second, token, "GET", "/script-execution-records/" + idA, null);
            assertEquals("SUCCESS", record.get("status").asText(), record::toString);
            assertTrue(record.get("late_result").asBoolean(), record::toString);

            linkB.send(TestAgent.exited(idB, 0, "b"));
            assertEquals(idB, acked(linkB));
            await(() -> task(second, token, taskId).get("status").asText().equals("SUCCESS"));
            assertEquals(List.of(2, 0, 0), counts(task(second, token, taskId)));
        }
    }

    private TestAgent.Link online(TestAgent agents, RegisterResponse desktop) throws InterruptedException {
        TestAgent.Link link = agents.connect(desktop.getDesktopId(), desktop.getDesktopCredential());
        assertTrue(link.next().hasWelcome());
        heartbeats.scheduleAtFixedRate(link::heartbeat, 0, 200, TimeUnit.MILLISECONDS);
        return link;
    }

    /** The ack of the next result, past the re-sent commands and cancels a reconnect brings. */
    private static String acked(TestAgent.Link link) throws InterruptedException {
        while (true) {
            ControlMessage message = link.next();
            if (message.hasAck()) {
                return message.getAck().getInvocationId();
            }
        }
    }

    private String status(EmbeddedServer server, String token, String recordId) {
        try {
            return db.send(server, token, "GET", "/script-execution-records/" + recordId, null).get("status").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode task(EmbeddedServer server, String token, String taskId) {
        try {
            return db.send(server, token, "GET", "/script-execution-tasks?task_id=" + taskId, null)
                    .get("script_tasks").get(0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Integer> counts(JsonNode task) {
        List<Integer> counts = new ArrayList<>();
        counts.add(task.get("success_num").asInt());
        counts.add(task.get("failed_num").asInt());
        counts.add(task.get("skip_num").asInt());
        return counts;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 15 s");
            Thread.sleep(100);
        }
    }
}
