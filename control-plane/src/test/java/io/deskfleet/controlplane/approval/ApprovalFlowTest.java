package io.deskfleet.controlplane.approval;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.deskfleet.controlplane.TestAgent;
import io.deskfleet.controlplane.db.Database;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Four eyes over HTTP with a real agent stream: a task on a protected pool or tag waits, runs only after a second
 * admin approves, and a rejected or expired one sends nothing to its desktop.
 */
@MicronautTest(transactional = false)
class ApprovalFlowTest extends ControlPlaneTestBase {
    private static final String P = "approvals";

    @Inject
    Database db;

    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
    private TestAgent agent;
    private String poolId;
    private String desktopId;
    private TestAgent.Link link;
    private String bob;
    private String carol;
    private String reader;

    @BeforeAll
    void fleet() throws InterruptedException {
        agent = new TestAgent(agentLink.port());
        poolId = createPool(P, "prod");
        String[] activation = createActivation(P, poolId, 2);
        RegisterResponse desktop = agent.register(P, activation[0], activation[1], poolId, "prod-1",
                Map.of("tier", "gold"));
        desktopId = desktop.getDesktopId();
        link = agent.connect(desktopId, desktop.getDesktopCredential());
        assertTrue(link.next().hasWelcome());
        heartbeats.scheduleAtFixedRate(link::heartbeat, 0, 200, TimeUnit.MILLISECONDS);
        await("the desktop online", () -> get(P, "/desktops/" + desktopId).body().toString()
                .contains("\"agent_online\":true"));
        bob = user("ap-bob", "admin");
        carol = user("ap-carol", "admin");
        reader = user("ap-reader", "readonly");
    }

    @AfterAll
    void close() throws InterruptedException {
        heartbeats.shutdownNow();
        agent.close();
    }

    private String user(String name, String role) {
        Response r = call(HttpRequest.PUT("/v2/" + P + "/users/" + name,
                        "{\"password\":\"" + name + "-password\",\"role\":\"" + role + "\"}")
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

    private Response protect(String type, String id) {
        return post(P, "/protected-targets", "{\"object_type\":\"" + type + "\",\"object_id\":\"" + id + "\"}");
    }

    private String runAsBob(String command) {
        Response r = as(bob, HttpRequest.POST("/v2/" + P + "/desktop-pools/" + poolId + "/script-executions",
                "{\"command_content\":\"" + command + "\",\"command_type\":\"SHELL\"}"));
        assertEquals(200, r.status(), r.toString());
        return r.body().get("task_id").asText();
    }

    private JsonNode task(String taskId) {
        return get(P, "/script-execution-tasks?task_id=" + taskId).body().at("/script_tasks/0");
    }

    private JsonNode record(String taskId) {
        return get(P, "/script-execution-records?script_task_id=" + taskId).body().at("/script_records/0");
    }



    /** A decided approval cannot be approved any more, and its task sent its desktop nothing. */
    private void assertDecidedForGood(String taskId) throws InterruptedException {
        Response late = as(carol, HttpRequest.POST("/v2/" + P + "/approvals/" + taskId + "/approve", "{}"));
        assertEquals(409, late.status(), late.toString());
        link.assertNoRunWithin(700, "a held task");
    }

    private void unprotect(String protection) {
        call(HttpRequest.DELETE("/v2/" + P + "/protected-targets/" + protection).header("X-Auth-Token", token(P)));
    }

    @Test
    void aProtectedPoolsTaskWaitsAndRunsOnlyAfterASecondAdminApproves() throws Exception {
        String protection = protect("DESKTOP_POOL", poolId).body().get("id").asText();
        try {
            String taskId = runAsBob("echo approved");
            assertEquals("WAITING", task(taskId).get("status").asText(), task(taskId).toString());
            assertEquals("WAITING", record(taskId).get("status").asText());
            JsonNode approval = get(P, "/approvals/" + taskId).body();
            assertEquals("PENDING_APPROVAL", approval.get("status").asText(), approval.toString());
            assertEquals("ap-bob", approval.get("requested_by").asText());
            assertEquals(1, approval.get("protected_desktop_count").asInt());
            link.assertNoRunWithin(700, "a held task");

            Response own = as(bob, HttpRequest.POST("/v2/" + P + "/approvals/" + taskId + "/approve", "{}"));
            assertEquals(403, own.status(), own.toString());
            assertEquals("WKS.00210403", own.body().get("error_code").asText());
            Response readonly = as(reader, HttpRequest.POST("/v2/" + P + "/approvals/" + taskId + "/approve", "{}"));
            assertEquals(403, readonly.status(), readonly.toString());
            assertEquals("PENDING_APPROVAL", get(P, "/approvals/" + taskId).body().get("status").asText());
            link.assertNoRunWithin(700, "a held task");

            Response approved = as(carol, HttpRequest.POST("/v2/" + P + "/approvals/" + taskId + "/approve", "{}"));
            assertEquals(200, approved.status(), approved.toString());
            assertEquals("APPROVED", approved.body().get("status").asText());
            assertEquals("ap-carol", approved.body().get("decided_by").asText());
            String invocation = link.nextRunSkippingOthers();
            link.send(TestAgent.exited(invocation, 0, "approved\n"));
            await("the approved task to succeed", () -> "SUCCESS".equals(task(taskId).get("status").asText()));

            Response again = as(carol, HttpRequest.POST("/v2/" + P + "/approvals/" + taskId + "/approve", "{}"));
            assertEquals(409, again.status(), again.toString());
        } finally {
            assertEquals(204, call(HttpRequest.DELETE("/v2/" + P + "/protected-targets/" + protection)
                    .header("X-Auth-Token", token(P))).status());
        }
    }

    @Test
    void aRejectedTaskOnAProtectedTagRunsNothing() throws Exception {
        String protection = protect("DESKTOP_TAG", "tier=gold").body().get("id").asText();
        try {
            String taskId = runAsBob("echo never");
            Response noReason = as(carol, HttpRequest.POST("/v2/" + P + "/approvals/" + taskId + "/reject", "{}"));
            assertEquals(400, noReason.status(), noReason.toString());
            // the requester may withdraw their own task
            Response rejected = as(bob, HttpRequest.POST("/v2/" + P + "/approvals/" + taskId + "/reject",
                    "{\"reason\":\"not during business hours\"}"));
            assertEquals(200, rejected.status(), rejected.toString());
            assertEquals("REJECTED", rejected.body().get("status").asText());
            assertEquals("not during business hours", rejected.body().get("reason").asText());
            JsonNode task = task(taskId);
            assertEquals("CANCELLED", task.get("status").asText(), task.toString());
            assertEquals(1, task.get("skip_num").asInt(), task.toString());
            assertEquals("CANCELLED", record(taskId).get("status").asText());
            assertDecidedForGood(taskId);
        } finally {
            unprotect(protection);
        }
    }

    @Test
    void anExpiredApprovalCancelsItsTask() throws Exception {
        String protection = protect("DESKTOP_POOL", poolId).body().get("id").asText();
        try {
            String taskId = runAsBob("echo too-late");
            // the expiry is a day by default; bring its deadline to now instead of waiting a day
            db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE task_approvals SET expires_at = requested_at WHERE task_id = ?")) {
                    ps.setString(1, taskId);
                    return ps.executeUpdate();
                }
            });
            await("the approval to expire", () -> "EXPIRED".equals(
                    get(P, "/approvals/" + taskId).body().get("status").asText()));
            assertEquals("CANCELLED", task(taskId).get("status").asText());
            assertTrue(record(taskId).get("status").asText().equals("CANCELLED"));
            assertDecidedForGood(taskId);
        } finally {
            unprotect(protection);
        }
    }

    @Test
    void protectionsAreValidatedAndUnprotectedTasksRunAtOnce() throws Exception {
        assertEquals(404, protect("DESKTOP_POOL", "no-such-pool").status());
        assertEquals(400, protect("DESKTOP_TAG", "no-equals-sign").status());
        Response badType = protect("DESKTOP", "x");
        assertEquals(400, badType.status(), badType.toString());
        assertEquals("WKS.00211102", badType.body().get("error_code").asText());
        String protection = protect("DESKTOP_TAG", "tier=silver").body().get("id").asText();
        try {
            assertEquals(409, protect("DESKTOP_TAG", "tier=silver").status());
            assertEquals(1, get(P, "/protected-targets").body().get("total_count").asInt());
            Response readonly = as(reader, HttpRequest.POST("/v2/" + P + "/protected-targets",
                    "{\"object_type\":\"DESKTOP_TAG\",\"object_id\":\"a=b\"}"));
            assertEquals(403, readonly.status());
            // the desktop is tier=gold, not silver: its task is not held
            String taskId = runAsBob("echo free");
            String invocation = link.nextRunSkippingOthers();
            link.send(TestAgent.exited(invocation, 0, "free\n"));
            await("the task to succeed", () -> "SUCCESS".equals(task(taskId).get("status").asText()));
            assertEquals(404, get(P, "/approvals/" + taskId).status());
        } finally {
            unprotect(protection);
        }
    }
}
