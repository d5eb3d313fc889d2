package io.deskfleet.controlplane.approval;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.deskfleet.controlplane.TestAgent;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Four eyes for a scheduled fire: an EXECUTE_SCRIPT task on a protected pool fires, its execution waits and sends
 * nothing until approved, the user who last saved the scheduled task may not approve it, another admin may, and the
 * fire is in the audit trail as the system's act.
 */
@MicronautTest(transactional = false)
class ScheduledFireApprovalTest extends ControlPlaneTestBase {
    private static final String P = "approvals-fire";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
    private TestAgent agent;
    private String poolId;
    private TestAgent.Link link;
    private String bob;
    private String carol;

    @BeforeAll
    void fleet() throws InterruptedException {
        agent = new TestAgent(agentLink.port());
        poolId = createPool(P, "prod");
        String[] activation = createActivation(P, poolId, 1);
        RegisterResponse desktop = agent.register(P, activation[0], activation[1], poolId, "prod-1", Map.of());
        link = agent.connect(desktop.getDesktopId(), desktop.getDesktopCredential());
        assertTrue(link.next().hasWelcome());
        heartbeats.scheduleAtFixedRate(link::heartbeat, 0, 200, TimeUnit.MILLISECONDS);
        await("the desktop online", () -> get(P, "/desktops/" + desktop.getDesktopId()).body().toString()
                .contains("\"agent_online\":true"));
        bob = user("sf-bob");
        carol = user("sf-carol");
    }

    @AfterAll
    void close() throws InterruptedException {
        heartbeats.shutdownNow();
        agent.close();
    }

    private String user(String name) {
        Response r = call(HttpRequest.PUT("/v2/" + P + "/users/" + name,
                        "{\"password\":\"" + name + "-password\",\"role\":\"admin\"}")
                .contentType(MediaType.APPLICATION_JSON_TYPE).header("X-Auth-Token", token(P)));
        assertEquals(201, r.status(), r.toString());
        Response login = call(HttpRequest.POST("/v3/auth/tokens", tokenBody(name, name + "-password", P))
                .contentType(MediaType.APPLICATION_JSON_TYPE));
        assertEquals(201, login.status(), login.toString());
        return login.headers().get("X-Subject-Token");
    }

    private Response as(String token, MutableHttpRequest<?> request) {
        return call(request.header("X-Auth-Token", token).contentType(MediaType.APPLICATION_JSON_TYPE));
    }

    /** A FIXED_TIME schedule {@code seconds} from now (UTC), as JSON fields. */
    private static String fixedIn(long seconds) {
        LocalDateTime at = LocalDateTime.now(ZoneOffset.UTC).plusSeconds(seconds);
        return "\"scheduled_type\":\"FIXED_TIME\",\"scheduled_date\":\"" + DATE.format(at)
                + "\",\"scheduled_time\":\"" + TIME.format(at) + "\",\"time_zone\":\"UTC\"";
    }

    private JsonNode tasks() {
        return get(P, "/script-execution-tasks").body();
    }



    @Test
    void aFireOnAProtectedPoolWaitsUntilAnAdminOtherThanItsLastEditorApproves() throws Exception {
        assertEquals(200, post(P, "/protected-targets",
                "{\"object_type\":\"DESKTOP_POOL\",\"object_id\":\"" + poolId + "\"}").status());
        // Bob creates the task far ahead; Carol then moves it to fire in a moment: she saved it last.
        Response created = as(bob, HttpRequest.POST("/v2/" + P + "/scheduled-tasks",
                "{\"task_name\":\"nightly\",\"task_type\":\"EXECUTE_SCRIPT\"," + fixedIn(3600)
                        + ",\"apply_objects\":[{\"object_type\":\"DESKTOP_POOL\",\"object_id\":\"" + poolId + "\"}]"
                        + ",\"extra_params\":\"{\\\"command_content\\\":\\\"echo fired\\\","
                        + "\\\"command_type\\\":\\\"SHELL\\\"}\"}"));
        assertEquals(200, created.status(), created.toString());
        String scheduledId = created.body().get("task_id").asText();
        Response moved = as(carol, HttpRequest.PUT("/v2/" + P + "/scheduled-tasks/" + scheduledId,
                "{" + fixedIn(2) + "}"));
        assertEquals(200, moved.status(), moved.toString());

        await("the fire", () -> tasks().get("count").asInt() == 1);
        JsonNode task = tasks().at("/script_tasks/0");
        String taskId = task.get("id").asText();
        assertEquals("WAITING", task.get("status").asText(), task.toString());
        assertEquals("system", task.get("created_by").asText(), "a fire's task is the system's: " + task);
        JsonNode approval = get(P, "/approvals/" + taskId).body();
        assertEquals("PENDING_APPROVAL", approval.get("status").asText(), approval.toString());
        assertEquals("system", approval.get("requested_by").asText(), approval.toString());
        link.assertNoRunWithin(700, "a held fire");

        Response byEditor = as(carol, HttpRequest.POST("/v2/" + P + "/approvals/" + taskId + "/approve", "{}"));
        assertEquals(403, byEditor.status(), "the last editor may not approve: " + byEditor);
        assertEquals("WKS.00210403", byEditor.body().get("error_code").asText());
        assertEquals("PENDING_APPROVAL", get(P, "/approvals/" + taskId).body().get("status").asText());
        link.assertNoRunWithin(700, "a held fire");

        Response approved = as(bob, HttpRequest.POST("/v2/" + P + "/approvals/" + taskId + "/approve", "{}"));
        assertEquals(200, approved.status(), approved.toString());
        assertEquals("sf-bob", approved.body().get("decided_by").asText());
        link.send(TestAgent.exited(link.nextRunSkippingOthers(), 0, "fired\n"));
        await("the approved fire to succeed", () -> "SUCCESS".equals(
                tasks().at("/script_tasks/0/status").asText()));

        JsonNode fires = get(P, "/audit-events?operation=schedule.fire&target_id=" + scheduledId).body();
        assertEquals(1, fires.get("total_count").asInt(), fires.toString());
        JsonNode fire = fires.at("/audit_events/0");
        assertEquals("SYSTEM", fire.get("actor_type").asText(), fire.toString());
        assertEquals("system", fire.get("user_name").asText(), fire.toString());
        assertTrue(fire.get("target_ids").toString().contains(taskId), fire.toString());
        JsonNode held = get(P, "/audit-events?operation=approval.request&target_id="
                + URLEncoder.encode(taskId, StandardCharsets.UTF_8)).body();
        assertEquals("system", held.at("/audit_events/0/user_name").asText(), held.toString());
    }
}
