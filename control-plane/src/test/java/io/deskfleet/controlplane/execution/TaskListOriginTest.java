package io.deskfleet.controlplane.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.deskfleet.controlplane.TestAgent;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The task list's own fields and filters (issue 26): who started a task, on which pool (by name) or tag, what command,
 * the desktops by name, what it retries; filtered by pool and by user, with the contract's filters and paging
 * unchanged.
 */
@MicronautTest(transactional = false)
class TaskListOriginTest extends ControlPlaneTestBase {
    private static final String P = "task-origin";
    private static final String ALICE_PASSWORD = "alice-password-1";

    private TestAgent agent;
    private String poolId;
    private String otherPoolId;
    private TestAgent.Link linkA;
    private TestAgent.Link linkB;
    private RegisterResponse a;
    private RegisterResponse b;
    private String aliceToken;

    @BeforeAll
    void setUp() throws Exception {
        agent = new TestAgent(agentLink.port());
        poolId = createPool(P, "lab-pool");
        otherPoolId = createPool(P, "empty-pool");
        String[] activation = createActivation(P, poolId, 2);
        a = agent.register(P, activation[0], activation[1], poolId, "pc-a", Map.of("team", "qa"));
        b = agent.register(P, activation[0], activation[1], poolId, "pc-b", Map.of());
        linkA = agent.online(a);
        linkB = agent.online(b);
        Response created = call(HttpRequest.PUT("/v2/" + P + "/users/alice",
                        "{\"password\":\"" + ALICE_PASSWORD + "\",\"role\":\"admin\"}")
                .contentType(MediaType.APPLICATION_JSON_TYPE).header("X-Auth-Token", token(P)));
        assertEquals(201, created.status(), created::toString);
        Response login = call(HttpRequest.POST("/v3/auth/tokens", tokenBody("alice", ALICE_PASSWORD, P))
                .contentType(MediaType.APPLICATION_JSON_TYPE));
        aliceToken = login.headers().get("X-Subject-Token");
    }

    @AfterAll
    void tearDown() throws InterruptedException {
        linkA.hangUp();
        linkB.hangUp();
        agent.close();
    }

    @Test
    void eachTaskSaysWhoStartedItWhatItRanAndWhereAndTheListFiltersOnThem() throws Exception {
        Instant before = Instant.now();
        // admin: a command on the pool; pc-a fails, pc-b succeeds
        String onPool = started(post(P, "/desktop-pools/" + poolId + "/script-executions",
                "{\"command_content\":\"echo hi\",\"command_type\":\"SHELL\"}"));
        linkA.answerNextRun(3);
        linkB.answerNextRun(0);
        awaitOver(onPool);
        // alice: a command by tag (pc-a only)
        String byTag = started(call(HttpRequest.POST("/v2/" + P + "/script-executions/by-desktop-tag",
                        "{\"desktop_tag\":\"team=qa\",\"command_content\":\"uptime\",\"command_type\":\"SHELL\"}")
                .contentType(MediaType.APPLICATION_JSON_TYPE).header("X-Auth-Token", aliceToken)));
        linkA.answerNextRun(0);
        awaitOver(byTag);
        // alice retries the pool task's failed desktop
        String retry = started(call(HttpRequest.POST("/v2/" + P + "/script-executions/retry",
                        "{\"task_id\":\"" + onPool + "\"}")
                .contentType(MediaType.APPLICATION_JSON_TYPE).header("X-Auth-Token", aliceToken)));
        linkA.answerNextRun(0);
        awaitOver(retry);

        JsonNode pool = task(P, onPool);
        assertEquals("admin", pool.get("created_by").asText(), pool::toString);
        assertEquals(poolId, pool.get("desktop_pool_id").asText(), pool::toString);
        assertEquals("lab-pool", pool.get("desktop_pool_name").asText(), pool::toString);
        assertEquals("echo hi", pool.get("command_content").asText(), pool::toString);
        assertEquals("SHELL", pool.get("command_type").asText(), pool::toString);
        assertEquals(names(pool, "resource_ids"), sorted(a.getDesktopId(), b.getDesktopId()), pool::toString);
        assertEquals(List.of(nameOf(pool.get("resource_ids").get(0).asText()),
                nameOf(pool.get("resource_ids").get(1).asText())), names(pool, "resource_names"), pool::toString);
        assertFalse(pool.has("desktop_tag") || pool.has("retry_of"), pool::toString);
        // the contract's fields are as before
        assertEquals("FAILED", pool.get("status").asText(), pool::toString);
        assertEquals(1, pool.get("success_num").asInt(), pool::toString);
        assertEquals(1, pool.get("failed_num").asInt(), pool::toString);
        assertEquals("DESKTOP", pool.get("resource_type").asText(), pool::toString);
        assertEquals(0, pool.get("task_scripts").size(), pool::toString);

        JsonNode tag = task(P, byTag);
        assertEquals("alice", tag.get("created_by").asText(), tag::toString);
        assertEquals("team=qa", tag.get("desktop_tag").asText(), tag::toString);
        assertFalse(tag.has("desktop_pool_id"), tag::toString);
        assertEquals(List.of("pc-a"), names(tag, "resource_names"), tag::toString);

        JsonNode retried = task(P, retry);
        assertEquals(onPool, retried.get("retry_of").asText(), retried::toString);
        assertEquals("alice", retried.get("created_by").asText(), retried::toString);
        assertEquals("lab-pool", retried.get("desktop_pool_name").asText(), retried::toString);

        assertEquals(List.of(retry, onPool), ids(tasks("desktop_pool_id=" + poolId)));
        assertEquals(List.of(), ids(tasks("desktop_pool_id=" + otherPoolId)));
        assertEquals(List.of(retry, byTag), ids(tasks("created_by=alice")));
        assertEquals(List.of(onPool), ids(tasks("created_by=admin")));
        assertEquals(List.of(), ids(tasks("created_by=nobody")));
        assertEquals(List.of(onPool), ids(tasks("created_by=admin&status=FAILED&desktop_pool_id=" + poolId
                + "&execute_time_start=" + before)));
        JsonNode page = tasks("created_by=alice&limit=1&offset=1");
        assertEquals(2, page.get("count").asInt(), page::toString);
        assertEquals(List.of(byTag), ids(page));

        // the pool listing (the contract's) still names the pool, now read with the task
        JsonNode pools = get(P, "/desktop-pools/script-execution-tasks/detail?desktop_pool_id=" + poolId).body();
        assertEquals("lab-pool", pools.get("script_execution_tasks").get(0).get("desktop_pool_name").asText(), pools::toString);
    }

    private String nameOf(String desktopId) {
        return desktopId.equals(a.getDesktopId()) ? "pc-a" : "pc-b";
    }

    private static List<String> sorted(String x, String y) {
        return x.compareTo(y) < 0 ? List.of(x, y) : List.of(y, x);
    }

    private static String started(Response r) {
        assertEquals(200, r.status(), r::toString);
        return r.body().get("task_id").asText();
    }

    private void awaitOver(String taskId) {
        await("task " + taskId + " over", () -> task(P, taskId).has("end_time"));
    }

    private JsonNode tasks(String query) {
        Response r = get(P, "/script-execution-tasks?" + query);
        assertEquals(200, r.status(), r::toString);
        return r.body();
    }

    private static List<String> ids(JsonNode page) {
        List<String> values = new ArrayList<>();
        page.get("script_tasks").forEach(t -> values.add(t.get("id").asText()));
        return values;
    }

    private static List<String> names(JsonNode task, String field) {
        List<String> values = new ArrayList<>();
        task.get(field).forEach(n -> values.add(n.asText()));
        return values;
    }

}
