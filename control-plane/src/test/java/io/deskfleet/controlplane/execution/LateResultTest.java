package io.deskfleet.controlplane.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.ControlMessage;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records say what the control plane knew, and a result an agent reports is never thrown away: a command that no
 * stream took ends UNDELIVERABLE, one that was sent and never heard from ends UNKNOWN, and a result that arrives
 * after such a deadline replaces the provisional outcome, marked late, with the task's counts following (while the
 * task runs, and after it finished). Agents are driven over a real gRPC stream; the test moves the control plane's
 * clock past the delivery window instead of waiting for it.
 */
@MicronautTest(transactional = false)
class LateResultTest extends ControlPlaneTestBase {
    private static final String P = "late";
    /** Shorter than a step's result deadline (one minute), so moving past it leaves started commands running. */
    private static final Duration DELIVERY_WINDOW = Duration.ofSeconds(20);

    @Inject
    MovableClock clock;

    private TestAgent agent;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();

    @Override
    public @NonNull Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("deskfleet.execution.delivery-window", DELIVERY_WINDOW.toSeconds() + "s");
        properties.put("deskfleet.execution.result-grace", "1s");
        properties.put(MovableClock.ENABLED, "true");
        return properties;
    }

    @BeforeAll
    void setUp() {
        agent = new TestAgent(agentLink.port());
    }

    @AfterAll
    void tearDown() throws InterruptedException {
        heartbeats.shutdownNow();
        agent.close();
    }

    @Test
    void aCanaryThatReportsAfterTheDeliveryWindowIsRecordedAndTheHaltedTaskCountsFollow() throws Exception {
        String pool = createPool(P, "halted-pool");
        List<RegisterResponse> desktops = register(pool, "pc-a", "pc-b", "pc-c");
        TestAgent.Link canary = online(desktops.get(0));
        // pc-b and pc-c stay offline: the gray batch takes the one online desktop.

        Response posted = post(P, "/desktop-pools/" + pool + "/script-executions",
                "{\"command_content\":\"hostname\",\"command_type\":\"SHELL\",\"gray_count\":1,"
                        + "\"gray_fail_threshold\":1}");
        assertEquals(200, posted.status(), posted::toString);
        assertEquals(2, posted.body().get("offline_target_count").asInt(), posted::toString);
        String taskId = posted.body().get("task_id").asText();
        String id = canary.nextRun();
        JsonNode undecided = record(id);
        assertTrue(undecided.get("status").asText().matches("WAITING|RUNNING"), "decided before the window ended: "
                + undecided);
        pastTheDeliveryWindow();

        // The canary took the command and said nothing within the window: it may have run, so not UNDELIVERABLE.
        await("task FAILED", () -> task(taskId).get("status").asText().equals("FAILED"));
        JsonNode unknown = record(id);
        assertEquals("UNKNOWN", unknown.get("status").asText(), unknown::toString);
        assertEquals("NO_REPORT", unknown.get("result_code").asText(), unknown::toString);
        assertFalse(unknown.has("late_result"), unknown::toString);
        assertCounts(task(taskId), 0, 1, 2);

        assertEquals(id, cancelled(canary), "a command that may still be queued must never start late");
        canary.send(TestAgent.exited(id, 0, "desk-a\n"));
        assertEquals(id, canary.next().getAck().getInvocationId());
        JsonNode late = record(id);
        assertEquals("SUCCESS", late.get("status").asText(), late::toString);
        assertEquals("desk-a\n", late.get("output").asText(), late::toString);
        assertEquals(0, late.get("exit_code").asInt(), late::toString);
        assertTrue(late.get("late_result").asBoolean(), late::toString);
        // The rollout was halted and the rest never ran: the task stays FAILED, its counts say what happened.
        JsonNode task = task(taskId);
        assertEquals("FAILED", task.get("status").asText(), task::toString);
        assertCounts(task, 1, 0, 2);

        // A second copy changes nothing and is acknowledged.
        canary.send(TestAgent.exited(id, 5, "other"));
        assertEquals(id, canary.next().getAck().getInvocationId());
        assertEquals("desk-a\n", record(id).get("output").asText());
        assertCounts(task(taskId), 1, 0, 2);
        canary.hangUp();
    }

    @Test
    void aCommandNoStreamTookIsUndeliverableAndALateResultTurnsAFinishedTaskToSuccess() throws Exception {
        String pool = createPool(P, "finished-pool");
        List<RegisterResponse> desktops = register(pool, "pc-d", "pc-e");
        TestAgent.Link d = online(desktops.get(0));

        Response posted = post(P, "/desktop-pools/" + pool + "/script-executions",
                "{\"command_content\":\"hostname\",\"command_type\":\"SHELL\"}");
        assertEquals(200, posted.status(), posted::toString);
        String taskId = posted.body().get("task_id").asText();
        String idD = d.nextRun();
        pastTheDeliveryWindow();
        await("task FAILED", () -> task(taskId).get("status").asText().equals("FAILED"));
        assertEquals("UNKNOWN", record(idD).get("status").asText());
        JsonNode offline = records(taskId).stream()
                .filter(r -> r.get("resource_id").asText().equals(desktops.get(1).getDesktopId()))
                .findFirst().orElseThrow();
        assertEquals("UNDELIVERABLE", offline.get("status").asText(), offline::toString);
        assertCounts(task(taskId), 0, 2, 0);

        // pc-e comes online only now: the command no stream ever took is not sent to it.
        TestAgent.Link e = online(desktops.get(1));
        assertEquals(idD, cancelled(d));
        d.send(TestAgent.exited(idD, 0, "desk-d"));
        assertEquals(idD, d.next().getAck().getInvocationId());
        assertEquals("SUCCESS", record(idD).get("status").asText());
        assertCounts(task(taskId), 1, 1, 0);
        assertEquals("FAILED", task(taskId).get("status").asText());
        assertTrue(e.received.isEmpty(), () -> "sent to a desktop after its record ended: " + e.received);

        // The undeliverable one's agent reports too (as a restored spool would): the task has no failure left.
        e.send(TestAgent.exited(offline.get("id").asText(), 0, "desk-e"));
        assertEquals(offline.get("id").asText(), e.next().getAck().getInvocationId());
        JsonNode task = task(taskId);
        assertEquals("SUCCESS", task.get("status").asText(), task::toString);
        assertCounts(task, 2, 0, 0);
        d.hangUp();
        e.hangUp();
    }

    @Test
    void aLateResultWhileTheTaskRunsCountsAndTheTaskEndsByTheCounts() throws Exception {
        String pool = createPool(P, "running-pool");
        List<RegisterResponse> desktops = register(pool, "pc-f", "pc-g");
        TestAgent.Link f = online(desktops.get(0));
        TestAgent.Link g = online(desktops.get(1));

        Response posted = post(P, "/desktop-pools/" + pool + "/script-executions",
                "{\"command_content\":\"sleep 5\",\"command_type\":\"SHELL\"}");
        assertEquals(200, posted.status(), posted::toString);
        String taskId = posted.body().get("task_id").asText();
        String idF = f.nextRun();
        String idG = g.nextRun();
        g.send(AgentMessage.newBuilder().setStarted(InvocationStarted.newBuilder().setInvocationId(idG)
                .setStartedAtUnixMs(System.currentTimeMillis())).build());
        await("G RUNNING", () -> record(idG).get("status").asText().equals("RUNNING"));
        pastTheDeliveryWindow();
        await("F UNKNOWN", () -> record(idF).get("status").asText().equals("UNKNOWN"));
        assertEquals("RUNNING", task(taskId).get("status").asText());
        assertCounts(task(taskId), 0, 1, 0);

        assertEquals(idF, cancelled(f));
        f.send(TestAgent.exited(idF, 0, "f"));
        assertEquals(idF, f.next().getAck().getInvocationId());
        assertCounts(task(taskId), 1, 0, 0);
        assertTrue(record(idF).get("late_result").asBoolean());

        g.send(TestAgent.exited(idG, 0, "g"));
        assertEquals(idG, g.next().getAck().getInvocationId());
        await("task SUCCESS", () -> task(taskId).get("status").asText().equals("SUCCESS"));
        assertCounts(task(taskId), 2, 0, 0);
        assertFalse(record(idG).has("late_result"), () -> record(idG).toString());
        f.hangUp();
        g.hangUp();
    }

    @Test
    void theGrayBatchTakesOnlineDesktopsFirstAndTheAnswerCountsTheOfflineOnes() throws Exception {
        String pool = createPool(P, "canary-pool");
        List<RegisterResponse> desktops = new ArrayList<>(register(pool, "pc-h", "pc-i", "pc-j"));
        desktops.sort(java.util.Comparator.comparing(RegisterResponse::getDesktopId));
        // The last by id is the only one online: taken by id order, the canary would be an offline desktop.
        String onlineId = desktops.get(2).getDesktopId();
        TestAgent.Link online = online(desktops.get(2));

        Response dryRun = post(P, "/desktop-pools/" + pool + "/script-executions",
                "{\"command_content\":\"hostname\",\"command_type\":\"SHELL\",\"gray_count\":1,"
                        + "\"gray_fail_threshold\":1,\"dry_run\":true}");
        assertEquals(200, dryRun.status(), dryRun::toString);
        assertEquals(2, dryRun.body().get("offline_target_count").asInt(), dryRun::toString);
        JsonNode gray = dryRun.body().get("batches").get(0);
        assertEquals(1, gray.get("execute_order").asInt(), dryRun::toString);
        assertEquals(List.of(onlineId), List.of(gray.get("desktop_ids").get(0).asText()), dryRun::toString);
        assertEquals(1, gray.get("desktop_ids").size(), dryRun::toString);

        // Explicit gray desktops are kept as given, offline or not.
        Response explicit = post(P, "/desktop-pools/" + pool + "/script-executions",
                "{\"command_content\":\"hostname\",\"command_type\":\"SHELL\",\"gray_desktop_ids\":[\""
                        + desktops.get(0).getDesktopId() + "\"],\"gray_fail_threshold\":1,\"dry_run\":true}");
        assertEquals(200, explicit.status(), explicit::toString);
        assertEquals(desktops.get(0).getDesktopId(),
                explicit.body().get("batches").get(0).get("desktop_ids").get(0).asText(), explicit::toString);
        online.hangUp();
    }

    private void pastTheDeliveryWindow() {
        clock.advance(DELIVERY_WINDOW.plusSeconds(1));
    }

    private List<RegisterResponse> register(String pool, String... names) {
        String[] activation = createActivation(P, pool, names.length);
        List<RegisterResponse> registered = new ArrayList<>();
        for (String name : names) {
            registered.add(agent.register(P, activation[0], activation[1], pool, name, Map.of()));
        }
        return registered;
    }

    /** Connected, heartbeating, and shown online by the API (what the planner reads). */
    private TestAgent.Link online(RegisterResponse registered) throws InterruptedException {
        TestAgent.Link link = agent.connect(registered.getDesktopId(), registered.getDesktopCredential());
        assertTrue(link.next().hasWelcome());
        heartbeats.scheduleAtFixedRate(link::heartbeat, 0, 200, TimeUnit.MILLISECONDS);
        await("desktop online", () -> {
            Response r = get(P, "/desktops/" + registered.getDesktopId());
            return r.status() == 200 && r.body().toString().contains("\"agent_online\":true");
        });
        return link;
    }

    private static String cancelled(TestAgent.Link link) throws InterruptedException {
        ControlMessage message = link.next();
        assertTrue(message.hasCancel(), message::toString);
        return message.getCancel().getInvocationId();
    }

    private static void assertCounts(JsonNode task, int success, int failed, int skipped) {
        assertEquals(List.of(success, failed, skipped), List.of(task.get("success_num").asInt(),
                task.get("failed_num").asInt(), task.get("skip_num").asInt()), task::toString);
    }

    private JsonNode record(String recordId) {
        Response r = get(P, "/script-execution-records/" + recordId);
        assertEquals(200, r.status(), r::toString);
        return r.body();
    }

    private List<JsonNode> records(String taskId) {
        Response r = get(P, "/script-execution-records?script_task_id=" + taskId);
        assertEquals(200, r.status(), r::toString);
        List<JsonNode> records = new ArrayList<>();
        r.body().get("script_records").forEach(records::add);
        return records;
    }

    private JsonNode task(String taskId) {
        Response r = get(P, "/script-execution-tasks?task_id=" + taskId);
        assertEquals(200, r.status(), r::toString);
        return r.body().get("script_tasks").get(0);
    }
}
