package io.deskfleet.controlplane.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.InvocationStarted;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.deskfleet.controlplane.MovableClock;
import io.deskfleet.controlplane.TestAgent;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile and unlucky agents over a real gRPC stream: results sent twice, out of order, for an invocation that is
 * not the desktop's own, or for no invocation at all. Each copy is acknowledged by its invocation id, and only the
 * desktop's own first result changes its record. And a command whose InvocationStarted was lost still ends: the
 * test moves the control plane's clock past its deadline rather than waiting a minute.
 */
@MicronautTest(transactional = false)
class ResultDeliveryTest extends ControlPlaneTestBase {
    private static final String P = "delivery";
    private static final Duration RESULT_GRACE = Duration.ofSeconds(1);

    @Inject
    MovableClock clock;

    private TestAgent agent;
    private String poolId;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();

    @Override
    public @NonNull Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("deskfleet.execution.result-grace", RESULT_GRACE.toSeconds() + "s");
        properties.put(MovableClock.ENABLED, "true");
        return properties;
    }

    @BeforeAll
    void setUp() {
        agent = new TestAgent(agentLink.port());
        poolId = createPool(P, "delivery-pool");
    }

    @AfterAll
    void tearDown() throws InterruptedException {
        heartbeats.shutdownNow();
        agent.close();
    }

    @Test
    void duplicateReorderedAndForeignResultsChangeNothingButAreAcknowledged() throws Exception {
        String[] activation = createActivation(P, poolId, 2);
        RegisterResponse a = agent.register(P, activation[0], activation[1], poolId, "pc-a", Map.of());
        RegisterResponse b = agent.register(P, activation[0], activation[1], poolId, "pc-b", Map.of());
        TestAgent.Link linkA = online(a);
        TestAgent.Link linkB = online(b);

        Response posted = post(P, "/desktop-pools/" + poolId + "/script-executions",
                "{\"command_content\":\"echo hi\",\"command_type\":\"SHELL\"}");
        assertEquals(200, posted.status(), posted::toString);
        String taskId = posted.body().get("task_id").asText();
        String idA = linkA.nextRun();
        String idB = linkB.nextRun();

        // Desktop B reports desktop A's invocation: acknowledged (so it stops resending) and ignored.
        linkB.send(TestAgent.exited(idA, 7, "forged by b"));
        assertEquals(idA, linkB.next().getAck().getInvocationId());
        JsonNode untouched = record(idA);
        assertTrue(untouched.get("status").asText().matches("WAITING|RUNNING"), untouched::toString);
        assertTrue(!untouched.has("output") || untouched.get("output").isNull()
                || untouched.get("output").asText().isEmpty(), untouched::toString);

        // A's result arrives before its InvocationStarted, then the Started, then a different copy of the result.
        InvocationResult first = TestAgent.exited(idA, 0, "first").getResult();
        linkA.send(AgentMessage.newBuilder().setResult(first).build());
        assertEquals(idA, linkA.next().getAck().getInvocationId());
        linkA.send(AgentMessage.newBuilder().setStarted(InvocationStarted.newBuilder().setInvocationId(idA)
                .setStartedAtUnixMs(first.getStartedAtUnixMs() + 5_000)).build());
        linkA.send(TestAgent.exited(idA, 3, "second"));
        assertEquals(idA, linkA.next().getAck().getInvocationId(), "every copy is acknowledged");
        assertFirstResult(record(idA), first);

        linkB.send(TestAgent.exited(idB, 0, "b"));
        assertEquals(idB, linkB.next().getAck().getInvocationId());
        await("task SUCCESS", () -> task(taskId).get("status").asText().equals("SUCCESS"));

        // Copies after the task ended, and a result for an invocation nobody issued.
        linkA.send(TestAgent.exited(idA, 9, "third"));
        assertEquals(idA, linkA.next().getAck().getInvocationId());
        linkA.send(TestAgent.exited("no-such-invocation", 1, "?"));
        assertEquals("no-such-invocation", linkA.next().getAck().getInvocationId());
        assertFirstResult(record(idA), first);
        JsonNode task = task(taskId);
        assertEquals("SUCCESS", task.get("status").asText(), task::toString);
        assertEquals(2, task.get("success_num").asInt(), task::toString);
        assertEquals(0, task.get("failed_num").asInt(), task::toString);
        Response unknown = get(P, "/script-execution-records/no-such-invocation");
        assertEquals(404, unknown.status(), unknown::toString);
        linkA.hangUp();
        linkB.hangUp();
    }

    @Test
    void aCommandReportedRunningOnlyInAHelloStillEndsByItsDeadline() throws Exception {
        String pool = createPool(P, "hello-pool");
        String[] activation = createActivation(P, pool, 1);
        RegisterResponse c = agent.register(P, activation[0], activation[1], pool, "pc-c", Map.of());
        TestAgent.Link first = agent.connect(c.getDesktopId(), c.getDesktopCredential());
        assertTrue(first.next().hasWelcome());
        Response posted = post(P, "/desktop-pools/" + pool + "/script-executions",
                "{\"command_content\":\"sleep 600\",\"command_type\":\"SHELL\"}");
        assertEquals(200, posted.status(), posted::toString);
        String taskId = posted.body().get("task_id").asText();
        String id = first.nextRun();

        // Its InvocationStarted is lost with the stream; the next Hello says it runs; then the agent goes silent.
        first.hangUp();
        TestAgent.Link second = agent.connect(c.getDesktopId(), c.getDesktopCredential(), id);
        assertTrue(second.next().hasWelcome());
        await("record RUNNING", () -> record(id).get("status").asText().equals("RUNNING"));
        second.hangUp();

        // The default execution timeout is one minute; the result is due that long plus the grace after the Hello.
        clock.advance(Duration.ofMinutes(1).plus(RESULT_GRACE).plusSeconds(1));
        await("record TIMEOUT", () -> record(id).get("status").asText().equals("TIMEOUT"));
        JsonNode timedOut = record(id);
        assertEquals("TIMEOUT", timedOut.get("result_code").asText(), timedOut::toString);
        await("task FAILED", () -> task(taskId).get("status").asText().equals("FAILED"));
    }

    private TestAgent.Link online(RegisterResponse registered) throws InterruptedException {
        TestAgent.Link link = agent.connect(registered.getDesktopId(), registered.getDesktopCredential());
        assertTrue(link.next().hasWelcome());
        heartbeats.scheduleAtFixedRate(link::heartbeat, 0, 200, TimeUnit.MILLISECONDS);
        return link;
    }


    private static void assertFirstResult(JsonNode record, InvocationResult first) {
        assertEquals("SUCCESS", record.get("status").asText(), record::toString);
        assertEquals("first", record.get("output").asText(), record::toString);
        assertEquals(0, record.get("exit_code").asInt(), record::toString);
        assertEquals(java.time.Instant.ofEpochMilli(first.getFinishedAtUnixMs()),
                java.time.Instant.parse(record.get("end_time").asText()), record::toString);
    }

    private JsonNode record(String recordId) {
        return record(P, recordId);
    }

    private JsonNode task(String taskId) {
        return task(P, taskId);
    }
}
