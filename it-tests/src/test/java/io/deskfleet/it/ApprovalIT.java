package io.deskfleet.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.it.harness.Await;
import io.deskfleet.it.harness.ControlPlaneProcess;
import io.deskfleet.it.harness.Executions;
import io.deskfleet.it.harness.Fleet;
import io.deskfleet.it.harness.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 25's four eyes and audit trail end to end: real control-plane jar, real agents. A task on a protected pool
 * waits (also across a control-plane restart), runs only once a second admin approves it, and a rejected or expired
 * one runs nothing; the audit trail names who did each step; readonly users may neither read it nor approve.
 */
class ApprovalIT {
    static final String PROJECT = "proj-approval";
    static final Duration PATIENCE = Duration.ofSeconds(60);
    @TempDir
    static Path dir;
    static ControlPlaneProcess cp;
    static RestClient admin;
    static RestClient bob;
    static RestClient carol;
    static RestClient rita;
    static Fleet fleet;

    @BeforeAll
    static void start() {
        cp = new ControlPlaneProcess(dir).withEnv("DESKFLEET_APPROVAL_EXPIRY", "25s").start();
        admin = cp.admin(PROJECT);
        fleet = Fleet.create(cp, admin, dir, PROJECT, "prod-pool", 2);
        fleet.startAgents("prod", 2);
        fleet.awaitOnline(2);
        bob = user("bob", "admin");
        carol = user("carol", "admin");
        rita = user("rita", "readonly");
        admin.post("/v2/" + PROJECT + "/protected-targets",
                RestClient.JSON.createObjectNode().put("object_type", "DESKTOP_POOL").put("object_id", fleet.poolId()))
                .expect(200);
    }

    @AfterAll
    static void stop() {
        fleet.close();
        cp.close();
    }

    static RestClient user(String name, String role) {
        admin.put("/v2/" + PROJECT + "/users/" + name, RestClient.JSON.createObjectNode()
                .put("password", name + "-Password-1").put("role", role)).expect(201);
        return cp.rest().login(name, name + "-Password-1", PROJECT);
    }

    /** Bob runs a command that leaves a file per desktop it runs on. */
    static String bobRuns(Path marks) {
        return new Executions(bob, PROJECT).onPool(fleet.poolId(),
                Executions.command("mktemp " + marks + "/ran.XXXXXX"));
    }

    static RestClient.Response decide(RestClient who, String taskId, String decision, String reason) {
        var body = RestClient.JSON.createObjectNode();
        if (reason != null) {
            body.put("reason", reason);
        }
        return who.post("/v2/" + PROJECT + "/approvals/" + taskId + "/" + decision, body);
    }

    static JsonNode approval(String taskId) {
        return admin.get("/v2/" + PROJECT + "/approvals/" + taskId).expect(200);
    }

    static JsonNode audit(String query) {
        return admin.get("/v2/" + PROJECT + "/audit-events?limit=100&" + query).expect(200);
    }

    /** The users of the events on this target with this operation, newest first, as "user:outcome". */
    static String whoDid(String targetId, String operation) {
        StringBuilder who = new StringBuilder();
        for (JsonNode e : audit("target_id=" + targetId + "&operation="
                + URLEncoder.encode(operation, StandardCharsets.UTF_8)).get("audit_events")) {
            who.append(who.isEmpty() ? "" : ",").append(e.get("user_name").asText()).append(':')
                    .append(e.get("outcome").asText());
        }
        return who.toString();
    }

    static long files(Path marks) throws IOException {
        try (Stream<Path> s = Files.list(marks)) {
            return s.count();
        }
    }

    @Test
    void aSecondAdminApprovesAndTheTaskRunsEvenAfterARestartWhileItWaited() throws Exception {
        Path marks = Files.createDirectories(dir.resolve("approved"));
        Executions executions = new Executions(admin, PROJECT);
        String taskId = bobRuns(marks);
        assertEquals("WAITING", executions.task(taskId).get("status").asText());
        assertEquals("PENDING_APPROVAL", approval(taskId).get("status").asText());

        assertEquals(403, decide(bob, taskId, "approve", null).status(), "the requester may not approve");
        RestClient.Response byReader = decide(rita, taskId, "approve", null);
        assertEquals(403, byReader.status());
        assertEquals("WKS.00210403", byReader.json().get("error_code").asText());
        RestClient.Response readerReads = rita.get("/v2/" + PROJECT + "/audit-events");
        assertEquals(403, readerReads.status());
        assertEquals("WKS.00210403", readerReads.json().get("error_code").asText());

        cp.kill();
        cp.start();
        fleet.awaitOnline(2);
        Thread.sleep(1000);
        assertEquals("WAITING", executions.task(taskId).get("status").asText(), "a restart keeps it waiting");
        assertEquals("PENDING_APPROVAL", approval(taskId).get("status").asText());
        assertEquals(0, files(marks), "nothing ran before the approval");

        decide(carol, taskId, "approve", null).expect(200);
        JsonNode task = executions.awaitTerminal(taskId, PATIENCE);
        assertEquals("SUCCESS", task.get("status").asText(), task.toString());
        assertEquals(2, files(marks));

        String approvals = whoDid(taskId, "POST /approvals/{task_id}/approve");
        assertTrue(approvals.startsWith("carol:SUCCESS,"), approvals);
        assertTrue(approvals.contains("bob:FAILURE") && approvals.contains("rita:FAILURE"), approvals);
        assertEquals("bob:SUCCESS", whoDid(taskId, "approval.request"));
        assertEquals("bob:SUCCESS", whoDid(taskId, "POST /desktop-pools/{pool_id}/script-executions"));
    }

    @Test
    void aRejectedTaskRunsNothing() throws Exception {
        Path marks = Files.createDirectories(dir.resolve("rejected"));
        String taskId = bobRuns(marks);
        JsonNode rejected = decide(carol, taskId, "reject", "change freeze").expect(200);
        assertEquals("REJECTED", rejected.get("status").asText());
        JsonNode task = new Executions(admin, PROJECT).task(taskId);
        assertEquals("CANCELLED", task.get("status").asText(), task.toString());
        assertEquals(409, decide(bob, taskId, "approve", null).status());
        Thread.sleep(2000);
        assertEquals(0, files(marks));
        assertEquals("carol:SUCCESS", whoDid(taskId, "POST /approvals/{task_id}/reject"));
    }

    @Test
    void anExpiredTaskRunsNothing() throws Exception {
        Path marks = Files.createDirectories(dir.resolve("expired"));
        String taskId = bobRuns(marks);
        Await.until("the approval to expire", PATIENCE, () -> approval(taskId),
                a -> a.get("status").asText().equals("EXPIRED"));
        assertEquals("CANCELLED", new Executions(admin, PROJECT).task(taskId).get("status").asText());
        assertEquals(409, decide(carol, taskId, "approve", null).status());
        assertEquals(0, files(marks));
        JsonNode expiry = audit("target_id=" + taskId + "&operation=approval.expire").at("/audit_events/0");
        assertEquals("SYSTEM", expiry.get("actor_type").asText(), expiry.toString());
        assertEquals("system", expiry.get("user_name").asText());
    }
}
